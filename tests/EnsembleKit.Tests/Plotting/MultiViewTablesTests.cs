using EnsembleKit.Experiments;
using EnsembleKit.Plotting;

namespace EnsembleKit.Tests.Plotting;

/// <summary>Notebook 04's and notebook 13's summary tables, from hand-made rows and curves.</summary>
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

    [Fact]
    public void MotherNetsVersusSseTakesStartFirstEpochEndAndTheStartingNetworks()
    {
        var frame = Tables.MotherNetsVersusSse([60.004, 80.123, 85.0, 86.286], [69.226, 82.0, 86.5, 87.126], 83.456, 87.014);
        Assert.Equal(["start (epoch 0), %", "after 1 epoch, %", "after 3 epochs, %", "its starting network, %"], frame.Columns["Quantity"].Cast<string>());
        Assert.Equal([60.0, 80.12, 86.29, 83.46], frame.Columns["MotherNet"].Cast<double>());
        Assert.Equal([69.23, 82.0, 87.13, 87.01], frame.Columns["Sse"].Cast<double>());
        Assert.Throws<ArgumentException>(() => Tables.MotherNetsVersusSse([1.0, 2.0], [1.0], 0, 0));
        Assert.Throws<ArgumentException>(() => Tables.MotherNetsVersusSse([1.0], [1.0], 0, 0));
    }
}
