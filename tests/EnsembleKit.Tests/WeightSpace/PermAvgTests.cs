using EnsembleKit.Data;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.WeightSpace;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.WeightSpace;

public class PermAvgTests
{
    static List<Mlp> Members(int count, int seed)
    {
        var members = new List<Mlp>();
        for (int m = 0; m < count; m++)
        {
            manual_seed(seed + m);
            members.Add(new Mlp([(8, 6), (6, 5), (5, 3)]));
        }
        return members;
    }

    [Fact]
    public void SinkhornGivesADoublyStochasticMatrix()
    {
        manual_seed(0);
        using var scores = randn(7, 7) * 3;
        using var p = Sinkhorn.Normalise(scores, iterations: 200);
        using var rows = p.sum(dim: 1);
        using var columns = p.sum(dim: 0);
        Assert.True(rows.allclose(ones(7), atol: 1e-5));
        Assert.True(columns.allclose(ones(7), atol: 1e-5));
        Assert.True(p.min().item<float>() >= 0);
    }

    [Fact]
    public void NaivePermAvgIsTheNaiveAverage()
    {
        var members = Members(3, 10);
        var permAvg = new PermAvg(members, new PermAvgOptions { Naive = true });
        Assert.Empty(permAvg.parameters());
        var soft = permAvg.ExportSoft();
        var naive = WeightAveraging.Into(members.Cast<nn.Module<Tensor, Tensor>>().ToList(), members[0].CloneArchitecture());
        for (int l = 0; l < 3; l++)
        {
            Assert.True(soft.Layers[l].weight!.allclose(naive.Layers[l].weight!, rtol: 1e-6, atol: 1e-7));
            Assert.True(soft.Layers[l].bias!.allclose(naive.Layers[l].bias!, rtol: 1e-6, atol: 1e-7));
        }
    }

    [Fact]
    public void HardExportFromAWeightMatchingStartIsTheAlignedAverage()
    {
        var members = Members(3, 20);
        var permAvg = new PermAvg(members, new PermAvgOptions { Start = PermAvgStart.WeightMatching });
        var hard = permAvg.ExportHard();
        var spec = PermutationSpec.ForMlp(members[0]);
        var aligned = AlignedAveraging.Into(members.Cast<nn.Module<Tensor, Tensor>>().ToList(), spec, members[0].CloneArchitecture(),
            AlignedAveraging.ByWeightMatching(spec));
        for (int l = 0; l < 3; l++) Assert.True(hard.Layers[l].weight!.allclose(aligned.Layers[l].weight!, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void ForwardIsTheSoftExportAndTrainingLowersTheLoss()
    {
        var members = Members(2, 30);
        var permAvg = new PermAvg(members);
        // one 6x6 and one 5x5 score matrix for member 1; member 0 is the reference
        Assert.Equal(new long[] { 36, 25 }, permAvg.parameters().Select(p => p.numel()).ToArray());
        manual_seed(1);
        var inputs = randn(256, 8);
        var targets = inputs.narrow(1, 0, 3).argmax(1);
        using var data = new TensorDataset(inputs, targets, 3, "toy");
        using (no_grad())
        {
            using var a = permAvg.forward(data.Inputs);
            using var b = permAvg.ExportSoft().forward(data.Inputs);
            Assert.True(a.allclose(b, rtol: 1e-4, atol: 1e-5));
        }
        var history = new Trainer(new TrainingOptions { Optimizer = OptimizerKind.Adam, LearningRate = 0.1, WeightDecay = 0, Epochs = 10, BatchSize = 64, Progress = ProgressSinks.None })
            .Fit(permAvg, data);
        Assert.True(history.Epochs[^1].Loss < history.Epochs[0].Loss);
        // the frozen members did not move
        Assert.True(permAvg.buffers().First().allclose(members[0].Layers[0].weight!));
    }

    [Fact]
    public void BadMembersAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new PermAvg([new Mlp([(4, 3), (3, 2)])]));
        Assert.Contains("member 1", Assert.Throws<ArgumentException>(() => new PermAvg([new Mlp([(4, 3), (3, 2)]), new Mlp([(4, 5), (5, 2)])])).Message);
    }
}
