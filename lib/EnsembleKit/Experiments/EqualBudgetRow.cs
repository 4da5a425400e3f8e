using EnsembleKit.Evaluation;

namespace EnsembleKit.Experiments;

/// <summary>
/// One method of an equal-budget comparison (seed 002's Tables 5.2 and 5.3): what it spent, and its test accuracy in
/// percent, NLL and ECE, clean and averaged over the corrupted sets at one severity.
/// </summary>
/// <param name="Method">The method's name, e.g. "SSE, NP 1/2 (M = 6)".</param>
/// <param name="Epochs">The epochs it spent, as text ("20", "14 + 6 x 1").</param>
/// <param name="AccuracyPercent">Clean test accuracy in percent.</param>
/// <param name="Nll">Clean test NLL.</param>
/// <param name="Ece">Clean test ECE.</param>
/// <param name="Shifted">Its scores on the corrupted sets, averaged over the corruptions (<see cref="CorruptionEvaluationReport.EnsembleAt"/> or <see cref="CorruptionEvaluationReport.MeanMemberAt"/>).</param>
public sealed record EqualBudgetRow(string Method, string Epochs, double AccuracyPercent, double Nll, double Ece, CorruptionRow Shifted)
{
    /// <summary>The ensemble's row: its combined prediction, clean and at <paramref name="severity"/>.</summary>
    public static EqualBudgetRow OfEnsemble(string method, string epochs, EnsembleReport clean, CorruptionEvaluationReport shifted, int severity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentException.ThrowIfNullOrWhiteSpace(epochs);
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(shifted);
        return new(method, epochs, clean.Ensemble.Accuracy * 100, clean.Ensemble.Nll, clean.Ensemble.Ece, shifted.EnsembleAt(severity));
    }

    /// <summary>Its members' row: each score averaged over the members ("independent" training: one member's budget).</summary>
    public static EqualBudgetRow OfMeanMember(string method, string epochs, EnsembleReport clean, CorruptionEvaluationReport shifted, int severity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentException.ThrowIfNullOrWhiteSpace(epochs);
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(shifted);
        var members = clean.Members;
        return new(method, epochs, members.Average(m => m.Accuracy) * 100, members.Average(m => m.Nll), members.Average(m => m.Ece), shifted.MeanMemberAt(severity));
    }
}
