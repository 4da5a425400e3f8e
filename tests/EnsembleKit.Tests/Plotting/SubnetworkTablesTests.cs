using EnsembleKit.Plotting;
using EnsembleKit.Subnetworks;

namespace EnsembleKit.Tests.Plotting;

/// <summary>Notebook 10's size and paper-vs-run tables and notebook 13's summary, from hand-made reports, summaries, ablation rows and curves.</summary>
public sealed class SubnetworkTablesTests
{
    [Fact]
    public void SubnetworkSizesListTheParentTheChildrenAndTheirTotal()
    {
        var report = new SubnetworkReport(
            [new SubnetworkSize("child 1", 100, 60, 80, 40), new SubnetworkSize("child 2", 100, 55, 80, 35)],
            new SubnetworkSize("parent", 100, 100, 80, 80));
        var frame = Tables.SubnetworkSizes(report);
        Assert.Equal(["Label", "Parameters", "NonZero", "Sparsity", "WeightSparsity"], frame.Columns.Select(c => c.Name));
        Assert.Equal(["parent", "child 1", "child 2", "ensemble total (2 children)"], frame.Columns["Label"].Cast<string>());
        Assert.Equal([100L, 100L, 100L, 200L], frame.Columns["Parameters"].Cast<long>());
        Assert.Equal([100L, 60L, 55L, 115L], frame.Columns["NonZero"].Cast<long>());
        Assert.Equal([0.0, 0.4, 0.45, 0.425], frame.Columns["Sparsity"].Cast<double>());       // total: 1 − 115 / 200
        Assert.Equal(0.5, frame.Columns["WeightSparsity"][1]);                                  // 1 − 40 / 80
        Assert.True(double.IsNaN((double)frame.Columns["WeightSparsity"][3]));
    }

    [Fact]
    public void WithoutAParentTheTableStartsAtTheFirstChild()
    {
        var frame = Tables.SubnetworkSizes(new SubnetworkReport([new SubnetworkSize("child 1", 3, 1, 3, 1)], null));
        Assert.Equal(["child 1", "ensemble total (1 children)"], frame.Columns["Label"].Cast<string>());
        Assert.Equal(0.6667, frame.Columns["Sparsity"][1]);
        Assert.Throws<ArgumentNullException>(() => Tables.SubnetworkSizes(null!));
    }

    static readonly string[] Methods = ["Independent", "Deep ensemble (4)", "Dropout", "MC dropout (8 passes)", "Bagging (4)", "SSE (R) (4)", "SSE (NP) (4)", "SSE parent alone"];

    static SmallBudgetSummary Summary()
    {
        // CIFAR-10 accuracies 40, 41, ..., 47 in the order of Methods; Fashion-MNIST 70, 71, ...
        var rows = Methods.SelectMany((m, i) => new[] { new SmallBudgetRow("CIFAR-10", m, 1, 40 + i, 1, 0, 0), new SmallBudgetRow("Fashion-MNIST", m, 1, 70 + i, 1, 0, 0) });
        return SmallBudgetSummary.Of([new SmallBudgetRun(rows.ToList(), null!, null!, null!)]);
    }

    static SubnetworkAblationRow Ablation(string setting, double meanChild) => new(setting, 4, 0.5, 10, 40, meanChild, 50);

    [Fact]
    public void SmallBudgetVersusPaperSetsTable51BesideEachDataSet()
    {
        var frame = Tables.SmallBudgetVersusPaper(Summary(), Ablation("NP 1/2, 1C", 38.25), Ablation("NP 1/3, 1C", 35.5));
        Assert.Equal(["Method", "Paper", "Cifar10", "FashionMnist"], frame.Columns.Select(c => c.Name));
        Assert.Equal(["70.29 ± 0.21", "not in Table 5.1", "70.06 ± 0.32", "not in Table 5.1", "70.97 ± 0.13", "75.51 ± 0.06", "75.75 ± 0.06", "+5.46", "-0.20"],
            frame.Columns["Paper"].Cast<string>());
        Assert.Equal([40.0, 41, 42, 43, 44, 45, 46, 6, -2.75], frame.Columns["Cifar10"].Cast<double>());
        Assert.Equal([70.0, 71, 72, 73, 74, 75, 76, 6], frame.Columns["FashionMnist"].Cast<double>().Take(8));
        Assert.True(double.IsNaN((double)frame.Columns["FashionMnist"][8]));
    }

    [Fact]
    public void SmallBudgetVersusPaperNamesAMissingMethod()
    {
        var rows = new List<SmallBudgetRow> { new("CIFAR-10", "Independent", 1, 40, 1, 0, 0) };
        var partial = SmallBudgetSummary.Of([new SmallBudgetRun(rows, null!, null!, null!)]);
        var error = Assert.Throws<ArgumentException>(() => Tables.SmallBudgetVersusPaper(partial, Ablation("a", 1), Ablation("b", 1)));
        Assert.Contains("Fashion-MNIST", error.Message);
        Assert.Throws<ArgumentNullException>(() => Tables.SmallBudgetVersusPaper(Summary(), null!, Ablation("b", 1)));
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
