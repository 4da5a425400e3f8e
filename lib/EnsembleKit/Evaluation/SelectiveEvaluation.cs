using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Uncertainty;
using static TorchSharp.torch;

namespace EnsembleKit.Evaluation;

/// <summary>
/// Selective prediction for every member and the ensemble: each predictor answers its most confident samples first, and
/// <see cref="SelectivePrediction.Evaluate"/> gives AURC, E-AURC and accuracy at 50 / 90 / 95 / 99 % coverage.
/// <para>A predictor's confidence is its top probability and its prediction the class of that probability: a member's
/// softmax, the ensemble's <see cref="Combine.Probabilities"/> under its rule (the distribution
/// <see cref="EnsembleEvaluation"/> scores), both computed in float64 so that float32 rounding does not make ties.</para>
/// </summary>
public static class SelectiveEvaluation
{
    /// <summary>Scores <paramref name="ensemble"/> on <paramref name="test"/>.</summary>
    public static SelectiveEvaluationReport Evaluate(IEnsemble ensemble, TensorDataset test, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ArgumentNullException.ThrowIfNull(test);
        using var scope = NewDisposeScope();
        return Evaluate(ensemble.Method, ensemble.MemberLogits(test, batchSize), test.Targets, ensemble.Rule);
    }

    /// <summary>The same from member logits <c>[M, N, C]</c> (finite, floating point) and targets <c>[N]</c> int64 in [0, C).</summary>
    public static SelectiveEvaluationReport Evaluate(string method, Tensor memberLogits, Tensor targets, CombinationRule rule)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        TorchRuntime.EnsureInitialized();
        EvaluationInput.RequireLogitsAndTargets(memberLogits, targets, nameof(memberLogits));
        using var scope = NewDisposeScope();
        int count = (int)memberLogits.shape[0];
        var logits = memberLogits.detach().to(ScalarType.Float64);
        var members = new List<SelectiveRow>();
        for (int m = 0; m < count; m++)
            members.Add(Row($"member {m + 1}", 1, logits[m].softmax(1), targets));
        var ensemble = Row("ensemble", count, Combine.Probabilities(logits, rule), targets);
        return new SelectiveEvaluationReport(method, rule, members, ensemble);
    }

    /// <summary>Confidence (top probability) and correctness of each row of probabilities <c>[N, C]</c>.</summary>
    internal static (double[] Confidence, bool[] Correct) ConfidenceAndCorrect(Tensor probs, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var confidence = probs.amax(1).cpu().data<double>().ToArray();
        var correct = probs.argmax(1).eq(targets).cpu().data<bool>().ToArray();
        return (confidence, correct);
    }

    static SelectiveRow Row(string predictor, int members, Tensor probs, Tensor targets)
    {
        var (confidence, correct) = ConfidenceAndCorrect(probs, targets);
        var r = SelectivePrediction.Evaluate(confidence, correct);
        double accuracy = correct.Count(c => c) / (double)correct.Length;
        return new SelectiveRow(predictor, members, accuracy, r.Aurc, r.OracleAurc, r.EAurc,
            r.AccuracyAt50, r.AccuracyAt90, r.AccuracyAt95, r.AccuracyAt99);
    }
}
