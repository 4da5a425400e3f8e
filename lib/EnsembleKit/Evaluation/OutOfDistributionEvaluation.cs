using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Uncertainty;
using static TorchSharp.torch;

namespace EnsembleKit.Evaluation;

/// <summary>
/// Out-of-distribution detection for every member and the ensemble (Ovadia et al. 2019's protocol): score the test set and
/// an OOD set with each <see cref="UncertaintyMeasure"/>, oriented so that higher means in-distribution
/// (<see cref="UncertaintyScores.InDistributionScore"/>), and report <see cref="OodDetection"/>'s metrics.
/// <para>Members are scored alone, as one-member ensembles, and only with the measures a single model has (maximum softmax
/// probability, maximum logit, predictive entropy, energy); the measures that need several members (expected entropy,
/// mutual information, variance across members) are reported for the ensemble only.</para>
/// </summary>
public static class OutOfDistributionEvaluation
{
    /// <summary>The measures <see cref="Evaluate(IEnsemble, TensorDataset, TensorDataset, string, IReadOnlyList{UncertaintyMeasure}, int)"/>
    /// uses by default: maximum softmax probability and mutual information.</summary>
    public static readonly IReadOnlyList<UncertaintyMeasure> DefaultMeasures = [UncertaintyMeasure.MaxSoftmaxProbability, UncertaintyMeasure.MutualInformation];

    /// <summary>Rows for each member, then the ensemble, each measure in the given order.</summary>
    public static IReadOnlyList<OodRow> Evaluate(IEnsemble ensemble, TensorDataset test, TensorDataset ood, string oodName,
        IReadOnlyList<UncertaintyMeasure>? measures = null, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        using var scope = NewDisposeScope();
        return Evaluate(ensemble.MemberLogits(test, batchSize), ensemble.MemberLogits(ood, batchSize), oodName, measures);
    }

    /// <summary>The same from member logits <c>[M, N, C]</c> on the test set and <c>[M, N', C]</c> on the OOD set.</summary>
    public static IReadOnlyList<OodRow> Evaluate(Tensor testMemberLogits, Tensor oodMemberLogits, string oodName,
        IReadOnlyList<UncertaintyMeasure>? measures = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(oodName);
        Shapes.RequireMembers(testMemberLogits, nameof(testMemberLogits));
        Shapes.RequireMembers(oodMemberLogits, nameof(oodMemberLogits));
        if (testMemberLogits.shape[0] != oodMemberLogits.shape[0] || testMemberLogits.shape[2] != oodMemberLogits.shape[2])
            throw new ArgumentException($"test and OOD member logits must have the same members and classes; got [{string.Join(", ", testMemberLogits.shape)}] "
                + $"and [{string.Join(", ", oodMemberLogits.shape)}].", nameof(oodMemberLogits));
        measures ??= DefaultMeasures;
        if (measures.Count == 0) throw new ArgumentException("at least one measure is needed.", nameof(measures));
        using var scope = NewDisposeScope();
        int count = (int)testMemberLogits.shape[0];
        var rows = new List<OodRow>();
        for (int m = 0; m < count; m++)
            foreach (var measure in measures.Where(SingleModelHas))
                rows.Add(Row($"member {m + 1}", oodName, measure, testMemberLogits[m..(m + 1)], oodMemberLogits[m..(m + 1)]));
        foreach (var measure in measures.Where(measure => count > 1 || SingleModelHas(measure)))
            rows.Add(Row("ensemble", oodName, measure, testMemberLogits, oodMemberLogits));
        return rows;
    }

    /// <summary>Whether <paramref name="measure"/> means something for one model (the epistemic measures are zero there).</summary>
    public static bool SingleModelHas(UncertaintyMeasure measure) =>
        measure is not (UncertaintyMeasure.ExpectedEntropy or UncertaintyMeasure.MutualInformation or UncertaintyMeasure.PredictedClassVariance);

    static OodRow Row(string predictor, string oodName, UncertaintyMeasure measure, Tensor test, Tensor ood)
    {
        var report = OodDetection.Evaluate(UncertaintyScores.InDistributionScore(measure, test), UncertaintyScores.InDistributionScore(measure, ood));
        return new OodRow(predictor, oodName, measure, report.Auroc, report.AuprIn, report.AuprOut, report.FprAt95Tpr);
    }
}
