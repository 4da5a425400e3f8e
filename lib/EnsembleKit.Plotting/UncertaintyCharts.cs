using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Uncertainty;
using Plotly.NET;
using static TorchSharp.torch;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// ROC curves of out-of-distribution detection, one a method, from the maximum softmax probability of the mean
    /// prediction (higher = in-distribution): member logits <c>[M, N, C]</c> on the in-distribution and the OOD set.
    /// Each curve is drawn with 200 points evenly spaced along it.
    /// </summary>
    public static GenericChart OodRoc(IEnumerable<(string Name, Tensor InMemberLogits, Tensor OutMemberLogits)> methods, string title)
    {
        ArgumentNullException.ThrowIfNull(methods);
        return Lines(methods.Select(m =>
        {
            var roc = OodDetection.Roc(UncertaintyScores.MaxSoftmaxProbability(m.InMemberLogits), UncertaintyScores.MaxSoftmaxProbability(m.OutMemberLogits));
            return LineSeries.Sampled(m.Name, roc.Fpr, roc.Tpr);
        }).ToList(), title, "false positive rate", "true positive rate");
    }

    /// <summary>
    /// Risk-coverage curves, one a method: the error among the kept images when only the most confident (maximum softmax
    /// probability of the mean prediction) are kept, against the share kept. The methods' members are combined by their
    /// own rule to decide which predictions are correct. 200 points a curve.
    /// </summary>
    public static GenericChart RiskCoverage(IEnumerable<(string Name, Tensor MemberLogits, CombinationRule Rule)> methods, Tensor targets, string title)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(targets);
        return Lines(methods.Select(m =>
        {
            bool[] correct;
            using (var scope = NewDisposeScope()) correct = Combine.LogProbabilities(m.MemberLogits, m.Rule).argmax(1).eq(targets).cpu().data<bool>().ToArray();
            var curve = SelectivePrediction.RiskCoverage(UncertaintyScores.MaxSoftmaxProbability(m.MemberLogits), correct);
            return LineSeries.Sampled(m.Name, curve.Coverage, curve.Risk);
        }).ToList(), title, "coverage", "error on the kept images");
    }

    /// <summary>
    /// One line a report: <paramref name="score"/> of the ensemble against severity, 0 being the clean set and each other
    /// point the mean over the corruptions (<see cref="CorruptionEvaluationReport.EnsembleAt"/>).
    /// </summary>
    public static GenericChart ShiftCurves(IEnumerable<CorruptionEvaluationReport> reports, Func<CorruptionRow, double> score, string title, string yTitle)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(score);
        return Lines(reports.Select(r =>
        {
            var severities = r.Rows.Select(row => row.Severity).Distinct().Order().ToList();
            return new LineSeries(r.Method, severities.Select(s => (double)s).ToList(), severities.Select(s => score(r.EnsembleAt(s))).ToList());
        }).ToList(), title, "severity", yTitle);
    }
}
