using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Uncertainty;
using Xunit;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Evaluation;

public sealed class OutOfDistributionEvaluationTests
{
    // Two classes, logits [d, 0]: the maximum softmax probability is sigmoid(|d|). Test rows d = 2, 1; OOD rows d = 0.2, 1.5.
    // By hand: of the 4 (test, OOD) pairs, the test row is more confident in 3 (2 > 0.2, 2 > 1.5, 1 > 0.2; not 1 < 1.5),
    // so AUROC = 3/4; member 2 (logits doubled) and the mean-probability ensemble order the rows the same way.
    static TensorDataset Rows(float[] d) =>
        new(stack([tensor(d), zeros(d.Length)], 1), zeros(d.Length, dtype: ScalarType.Int64), 2, "rows");

    [Fact]
    public void ScoresEveryMemberAndTheEnsembleWithTheMeasuresEachHas()
    {
        using var test = Rows([2f, 1f]);
        using var ood = Rows([0.2f, 1.5f]);
        using var ensemble = new DeepEnsemble([new ScaledIdentity(1), new ScaledIdentity(2)]);
        var rows = OutOfDistributionEvaluation.Evaluate(ensemble, test, ood, "hand OOD");

        // Members get MSP only (mutual information is zero for one model); the ensemble gets both.
        Assert.Equal(["member 1 MaxSoftmaxProbability", "member 2 MaxSoftmaxProbability", "ensemble MaxSoftmaxProbability", "ensemble MutualInformation"],
            rows.Select(r => $"{r.Predictor} {r.Measure}"));
        Assert.All(rows.Where(r => r.Measure == UncertaintyMeasure.MaxSoftmaxProbability), r => Assert.Equal(0.75, r.Auroc, 12));
        Assert.All(rows, r => Assert.Equal("hand OOD", r.OodSet));
        // FPR at 95% TPR: to accept both test rows the threshold is the lower test score, which also accepts OOD row d = 1.5.
        Assert.All(rows.Where(r => r.Measure == UncertaintyMeasure.MaxSoftmaxProbability), r => Assert.Equal(0.5, r.FprAt95Tpr, 12));
        // Mutual information by hand (members sigmoid(d) and sigmoid(2d)): test d = 2, 1 give 0.02227, 0.01831; OOD d = 0.2,
        // 1.5 give 0.00122, 0.02373. Two of the four (OOD, test) pairs rank the OOD row as more uncertain: AUROC 0.5; accepting
        // both test rows (MI <= 0.02227) also accepts OOD d = 0.2: FPR 0.5.
        var mi = rows.Single(r => r.Measure == UncertaintyMeasure.MutualInformation);
        Assert.Equal(0.5, mi.Auroc, 12);
        Assert.Equal(0.5, mi.FprAt95Tpr, 12);
    }

    [Fact]
    public void AOneMemberEnsembleHasNoEpistemicRows()
    {
        using var test = Rows([2f, 1f]);
        using var ood = Rows([0.2f, 1.5f]);
        using var ensemble = new DeepEnsemble([new ScaledIdentity(1)]);
        var rows = OutOfDistributionEvaluation.Evaluate(ensemble, test, ood, "hand OOD");
        Assert.DoesNotContain(rows, r => r.Measure == UncertaintyMeasure.MutualInformation);
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public void RefusesMismatchedLogitsAndNoMeasures()
    {
        using var a = zeros(2, 3, 4);
        using var b = zeros(3, 3, 4);
        using var c = zeros(2, 3, 5);
        Assert.Equal("oodMemberLogits", Assert.Throws<ArgumentException>(() => OutOfDistributionEvaluation.Evaluate(a, b, "x")).ParamName);
        Assert.Equal("oodMemberLogits", Assert.Throws<ArgumentException>(() => OutOfDistributionEvaluation.Evaluate(a, c, "x")).ParamName);
        Assert.Equal("measures", Assert.Throws<ArgumentException>(() => OutOfDistributionEvaluation.Evaluate(a, a, "x", [])).ParamName);
        Assert.Throws<ArgumentException>(() => OutOfDistributionEvaluation.Evaluate(a, a, " "));
    }
}
