using EnsembleKit.Experiments;
using EnsembleKit.Plotting;

namespace EnsembleKit.Tests.Plotting;

/// <summary>Notebook 04's paper table, from hand-made rows.</summary>
public sealed class MultiViewTablesTests
{
    static List<MultiViewComparisonRow> Results() =>
    [
        new("multi-view", "single model (mean of 5)", 96.39, 93.1, 100), new("multi-view", "single model 1", 96.0, 93, 100),
        new("multi-view", "ensemble of 5", 98.6, 97, 100), new("multi-view", "sum of 5, trained jointly", 97.7, 95, 100),
        new("multi-view", "knowledge distillation", 97.8, 96, 100), new("multi-view", "self-distillation", 96.3, 93, 100),
        new("Gaussian control", "single model (mean of 5)", 40.12, 40, 100), new("Gaussian control", "ensemble of 5", 44.1, 44, 100),
    ];

    [Fact]
    public void MultiViewVersusPaperReadsEachMethodByItsNamesStart()
    {
        var frame = Tables.MultiViewVersusPaper(Results());
        Assert.Equal(["Quantity", "Paper", "ThisRun"], frame.Columns.Select(c => c.Name));
        Assert.Equal([96.39, 98.6, 97.7, 97.8, 96.3, 3.98], frame.Columns["ThisRun"].Cast<double>());   // 44.1 − 40.12, rounded
        Assert.Equal("84.69", frame.Columns["Paper"][1]);
        var missing = Assert.Throws<ArgumentException>(() => Tables.MultiViewVersusPaper(Results().Where(r => r.Method != "self-distillation").ToList()));
        Assert.Contains("'self'", missing.Message);
    }
}
