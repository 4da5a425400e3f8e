using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Experiments;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.WeightSpace;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Experiments;

public sealed class MergeSweepRowTests
{
    static Mlp Create() => new([(4, 6), (6, 3)]);

    static (List<Mlp> Members, TensorDataset Test) Fixture()
    {
        var members = Enumerable.Range(0, 3).Select(m => { manual_seed(40 + m); return Create(); }).ToList();
        manual_seed(7);
        var test = new TensorDataset(randn(60, 4), arange(60, dtype: ScalarType.Int64).remainder(3), 3, "sixty points");
        return (members, test);
    }

    [Fact]
    public void EachRowIsTheThreeMergesWrittenOut()
    {
        var (members, test) = Fixture();
        var spec = PermutationSpec.ForMlp(members[0]);
        var before = members.Select(m => ParameterVectorOf(m)).ToList();
        manual_seed(1);
        var rows = MergeSweepRow.Run(members, spec, Create, test);

        // The steps as notebook 03 wrote them, from the same generator state.
        manual_seed(1);
        double Accuracy(nn.Module<Tensor, Tensor> model) => Predict.Accuracy(model, test) * 100;
        for (int m = 2; m <= 3; m++)
        {
            var subset = members.Take(m).Cast<nn.Module<Tensor, Tensor>>().ToList();
            var expected = new MergeSweepRow(m, Accuracy(WeightAveraging.Into(subset, Create())),
                Accuracy(AlignedAveraging.Into(subset, spec, Create(), AlignedAveraging.ByWeightMatching(spec))),
                Accuracy(new DeepEnsemble(subset, CombinationRule.MeanLogits)));
            Assert.Equal(expected, rows[m - 2]);
        }
        Assert.Equal([2, 3], rows.Select(r => r.M));
        // the members are left as they were, and still usable
        Assert.Equal(before, members.Select(m => ParameterVectorOf(m)));
        Assert.InRange(Predict.Accuracy(members[2], test), 0, 1);
        foreach (var m in members) m.Dispose();
        test.Dispose();
    }

    [Fact]
    public void RefusesFewerThanTwoMembers()
    {
        var (members, test) = Fixture();
        var spec = PermutationSpec.ForMlp(members[0]);
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => MergeSweepRow.Run(members.Take(1).ToList(), spec, Create, test)).Message);
        Assert.Throws<ArgumentNullException>(() => MergeSweepRow.Run(members, spec, null!, test));
        foreach (var m in members) m.Dispose();
        test.Dispose();
    }

    static float[] ParameterVectorOf(Mlp model) => EnsembleKit.Diversity.ParameterVector.Flatten(model, includeBiases: true);
}
