using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Experiments;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.WeightSpace;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Experiments;

public sealed class MergedModelRowTests
{
    static Mlp Create() => new([(4, 6), (6, 3)]);

    static (List<Mlp> Members, TensorDataset Train, TensorDataset Test) Fixture()
    {
        var members = Enumerable.Range(0, 3).Select(m => { manual_seed(40 + m); return Create(); }).ToList();
        manual_seed(7);
        var train = new TensorDataset(randn(30, 4), arange(30, dtype: ScalarType.Int64).remainder(3), 3, "thirty points");
        var test = new TensorDataset(randn(60, 4), arange(60, dtype: ScalarType.Int64).remainder(3), 3, "sixty points");
        return (members, train, test);
    }

    [Fact]
    public void TheFourMergesAreNotebook03sStepsWrittenOut()
    {
        var (members, train, test) = Fixture();
        var spec = PermutationSpec.ForMlp(members[0]);
        manual_seed(1);
        var rows = MergedModelRow.MergeFourWays(members, spec, Create, train, test, probeImages: 20);

        // The steps as notebook 03 wrote them, from the same generator state.
        manual_seed(1);
        double Accuracy(nn.Module<Tensor, Tensor> model) => Predict.Accuracy(model, test) * 100;
        var three = members.Cast<nn.Module<Tensor, Tensor>>().ToList();
        var ensemble = new DeepEnsemble(three, CombinationRule.MeanLogits);
        var naive = WeightAveraging.Into(three, Create());
        var weightMatched = AlignedAveraging.Into(three, spec, Create(), AlignedAveraging.ByWeightMatching(spec));
        var probe = train.Inputs.narrow(0, 0, 20);
        var activationMatched = AlignedAveraging.Into(three, spec, Create(), (a, b) => ActivationMatching.AlignMlp((Mlp)a, (Mlp)b, probe));
        var expected = new List<MergedModelRow>
        {
            new("best member", members.Max(m => Accuracy(m)), 1),
            new("deep ensemble (mean of logits)", Accuracy(ensemble), 3),
            new("naive weight average", Accuracy(naive), 1),
            new("weight matching, then average", Accuracy(weightMatched), 1),
            new("activation matching, then average", Accuracy(activationMatched), 1),
        };
        Assert.Equal(expected, rows);
        // the members are left usable, and the list takes more rows
        Assert.InRange(Predict.Accuracy(members[2], test), 0, 1);
        rows.Add(new MergedModelRow("extra", 50, 1));
        Assert.Equal(6, rows.Count);
        foreach (var m in members) m.Dispose();
        train.Dispose();
        test.Dispose();
    }

    [Fact]
    public void PermAvgExportsAreTheSoftThenTheHardExportScored()
    {
        var (members, train, test) = Fixture();
        using var permAvg = new PermAvg(members, new PermAvgOptions { Start = PermAvgStart.WeightMatching });
        manual_seed(3);
        var rows = MergedModelRow.PermAvgExports("PermAVG", permAvg, test);
        manual_seed(3);
        double soft = Predict.Accuracy(permAvg.ExportSoft(), test) * 100;
        double hard = Predict.Accuracy(permAvg.ExportHard(), test) * 100;
        Assert.Equal([new MergedModelRow("PermAVG, soft matrices", soft, 1), new MergedModelRow("PermAVG, hard permutations", hard, 1)], rows);
        foreach (var m in members) m.Dispose();
        train.Dispose();
        test.Dispose();
    }

    [Fact]
    public void BadInputIsRefused()
    {
        var (members, train, test) = Fixture();
        var spec = PermutationSpec.ForMlp(members[0]);
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => MergedModelRow.MergeFourWays(members.Take(1).ToList(), spec, Create, train, test)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => MergedModelRow.MergeFourWays(members, spec, Create, train, test, probeImages: 0));
        Assert.Throws<ArgumentNullException>(() => MergedModelRow.MergeFourWays(members, spec, null!, train, test));
        Assert.Throws<ArgumentException>(() => MergedModelRow.PermAvgExports(" ", null!, test));
        foreach (var m in members) m.Dispose();
        train.Dispose();
        test.Dispose();
    }
}
