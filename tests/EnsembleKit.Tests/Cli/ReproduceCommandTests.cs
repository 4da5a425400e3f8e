using System.Text.Json;
using EnsembleKit.Cli;

namespace EnsembleKit.Tests.Cli;

public class ReproduceCommandTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void WritesCsvAndJsonWithEveryMemberAndTheEnsemble()
    {
        var folder = _temp.NewFolder();
        int exit = Program.Main(["reproduce", "fmnist-deep-ensemble", "--epochs", "1", "--members", "2", "--train-limit", "1000", "--out", folder]);
        Assert.Equal(0, exit);
        var csv = File.ReadAllLines(Path.Combine(folder, "results.csv"));
        Assert.Equal("name,accuracy_percent,nll,ece,brier,paper_accuracy_percent,mnist_auroc_msp,mnist_auroc_mi", csv[0]);
        Assert.Equal(["member 1", "member 2", "ensemble"], csv.Skip(1).Select(l => l.Split(',')[0]));
        // FMNIST-vs-MNIST AUROC: by maximum softmax probability for every row, by mutual information for the ensemble only.
        var cells = csv.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(cells, c => Assert.InRange(double.Parse(c[6], System.Globalization.CultureInfo.InvariantCulture), 0, 1));
        Assert.Equal(["", "", "ensemble"], cells.Select(c => c[7] == "" ? "" : c[0]));
        Assert.InRange(double.Parse(cells[2][7], System.Globalization.CultureInfo.InvariantCulture), 0, 1);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        Assert.Equal(3, json.RootElement.GetProperty("rows").GetArrayLength());
        Assert.Equal(88.54, json.RootElement.GetProperty("rows")[2].GetProperty("paperAccuracy").GetDouble());
    }

    [Fact]
    public void BadOptionValuesFail()
    {
        Assert.Equal(2, Program.Main(["reproduce", "fmnist-deep-ensemble", "--members", "0", "--out", _temp.NewFolder()]));
        Assert.Equal(2, Program.Main(["reproduce", "fmnist-deep-ensemble", "--device", "tpu"]));
    }
}
