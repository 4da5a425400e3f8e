using EnsembleKit.Experiments;
using EnsembleKit.Plotting;

namespace EnsembleKit.Tests.Plotting;

/// <summary>Notebook 04's paper table and notebooks 21 and 22's results table, from hand-made rows.</summary>
public sealed class MultiViewTablesTests
{
    static List<MultiViewComparisonRow> Results() =>
    [
        new("multi-view", "single model (mean of 5)", 96.39, 93.1, 100), new("multi-view", "single model 1", 96.0, 93, 100),
        new("multi-view", "ensemble of 5", 98.6, 97, 100), new("multi-view", "sum of 5, trained jointly", 97.7, 95, 100),
        new("multi-view", "knowledge distillation", 97.8, 96, 100), new("multi-view", "self-distillation", 96.3, 93, 100),
        new("Gaussian control", "single model (mean of 5)", 40.12, 40, 100), new("Gaussian control", "ensemble of 5", 44.1, 44, 100),
        new("Gaussian control", "sum of 5, trained jointly", 41.0, 41, 100), new("Gaussian control", "knowledge distillation", 42.5, 42, 100),
        new("Gaussian control", "self-distillation", 40.5, 40, 100),
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
    public void AccuraciesAreReadPerDataSetWithTheGainAndTheShareOfErrorRemoved()
    {
        var multiView = MultiViewAccuracies.Of(Results(), "multi-view");
        Assert.Equal(new MultiViewAccuracies(96.39, 98.6, 97.7, 97.8, 96.3), multiView);
        Assert.Equal(2.21, multiView.EnsembleGain, 1e-12);
        Assert.Equal(2.21 / 3.61, multiView.ErrorRemoved, 1e-12);   // 98.6 − 96.39 of 100 − 96.39
        var control = MultiViewAccuracies.Of(Results(), "Gaussian control");
        Assert.Equal(new MultiViewAccuracies(40.12, 44.1, 41.0, 42.5, 40.5), control);
        Assert.Equal(3.98 / 59.88, control.ErrorRemoved, 1e-12);
        var missing = Assert.Throws<ArgumentException>(() => MultiViewAccuracies.Of(Results(), "CIFAR"));
        Assert.Contains("no method starting with 'single model (mean' on 'CIFAR'", missing.Message);
        Assert.Contains("multi-view: ensemble of 5", missing.Message);
    }

    [Fact]
    public void SumAndDistillationShowsEachRowRoundedWithBestAndMeanSingle()
    {
        var frame = Tables.SumAndDistillation([new SumAndDistillationRow("NTK", [84.111, 85.566, 83.0], 86.004, 87.126, 84.0, 83.456)]);
        Assert.Equal(["Model", "BestSingle", "MeanSingle", "Ensemble", "SumTrained", "KD", "SelfDistillation"], frame.Columns.Select(c => c.Name));
        // mean (84.111 + 85.566 + 83.0) / 3 = 84.225666…
        Assert.Equal([85.57, 84.23, 86.0, 87.13, 84.0, 83.46], frame.Columns.Skip(1).Select(c => (double)c[0]));
        Assert.Equal("NTK", frame.Columns["Model"][0]);
    }
}
