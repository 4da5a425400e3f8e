using EnsembleKit.Subnetworks;

namespace EnsembleKit.Tests.Subnetworks;

/// <summary>Claim 12's inputs in notebook 10: SSE (NP) against each baseline per data set.</summary>
public sealed class SmallBudgetOutcomeTests
{
    static SmallBudgetRow Row(string data, string method, double accuracy) => new(data, method, 1, accuracy, 1, 0.1, accuracy);

    static SmallBudgetSummary Summary() => SmallBudgetSummary.Of(
    [
        new SmallBudgetRun([Row("A", "Independent", 40), Row("A", "MC dropout (8 passes)", 45), Row("A", "SSE (NP) (2 pairs)", 42.5)], null!, null!, null!),
        new SmallBudgetRun([Row("B", "Independent", 70), Row("B", "MC dropout (8 passes)", 60), Row("B", "SSE (NP) (2 pairs)", 65.25)], null!, null!, null!),
    ]);

    [Fact]
    public void OneRowPerDataSetAndBaseline()
    {
        var outcomes = Summary().SseNpVersus(["Independent", "MC dropout"], shownOnly: ["MC dropout"]);
        Assert.Equal(
        [
            new SmallBudgetOutcome("A", "Independent", 42.5, 40, 2.5, true, true),
            new SmallBudgetOutcome("A", "MC dropout", 42.5, 45, -2.5, false, false),
            new SmallBudgetOutcome("B", "Independent", 65.25, 70, -4.75, false, true),
            new SmallBudgetOutcome("B", "MC dropout", 65.25, 60, 5.25, true, false),
        ], outcomes);
    }

    [Fact]
    public void MissingBaselineIsNamed()
    {
        Assert.Contains("'Bagging'", Assert.Throws<ArgumentException>(() => Summary().SseNpVersus(["Bagging"], [])).Message);
        Assert.Throws<ArgumentNullException>(() => Summary().SseNpVersus(null!, []));
    }
}
