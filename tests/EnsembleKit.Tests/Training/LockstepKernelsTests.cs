using EnsembleKit.Data;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.Training.Lockstep;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Training;

/// <summary>
/// The batched kernels (one <c>baddbmm</c> per linear layer, one grouped convolution per convolution; what a GPU runs)
/// compute what the per-member kernels compute: same outputs, same gradients, same dropout masks, same training.
/// </summary>
public class LockstepKernelsTests
{
    /// <summary>Forward (train mode, dropout from per-member streams) and backward of one stacked model under <paramref name="kernels"/>.</summary>
    static (Tensor Logits, Tensor[] Gradients) ForwardBackward(LockstepModel model, Tensor x, LockstepKernels kernels)
    {
        model.Kernels = kernels;
        model.train();
        var streams = Enumerable.Range(0, model.Count).Select(m => new Generator((ulong)(100 + m))).ToList();
        model.DropoutStreams = streams;
        try
        {
            model.zero_grad();
            var logits = model.forward(x);
            logits.square().sum().backward();
            return (logits.detach(), model.parameters().Select(p => p.grad!.clone()).ToArray());
        }
        finally
        {
            model.DropoutStreams = null;
            foreach (var g in streams) g.Dispose();
        }
    }

    /// <summary>Per-member kernels on <paramref name="x"/> against batched ones on <paramref name="batchedX"/> (the same values; <paramref name="x"/> when null).</summary>
    static void AssertSameComputation(LockstepModel model, Tensor x, Tensor? batchedX = null)
    {
        var (perMember, perMemberGrads) = ForwardBackward(model, x, LockstepKernels.PerMember);
        var (batched, batchedGrads) = ForwardBackward(model, batchedX ?? x, LockstepKernels.Batched);
        Assert.Equal(perMember.shape, batched.shape);
        Assert.True(perMember.allclose(batched, rtol: 1e-4, atol: 1e-5), $"logits differ by {(perMember - batched).abs().max().item<float>():E2}");
        Assert.Equal(perMemberGrads.Length, batchedGrads.Length);
        for (int i = 0; i < perMemberGrads.Length; i++)
        {
            var scale = perMemberGrads[i].abs().max().item<float>();
            var diff = (perMemberGrads[i] - batchedGrads[i]).abs().max().item<float>();
            Assert.True(diff <= 1e-4 * Math.Max(1, scale), $"gradient {i}: max |Δ| {diff:E2} at scale {scale:E2}");
        }
    }

    [Fact]
    public void LeNetWithDropoutComputesTheSameBothWays()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        var members = Enumerable.Range(0, 3).Select(_ => LeNet.Small(10, inChannels: 3, imageSize: 32, dropoutRate: 0.3)).ToList();
        using var model = LockstepModels.Create(members);
        AssertSameComputation(model, randn([3, 5, 3, 32, 32], generator: new Generator(1)));
        foreach (var m in members) m.Dispose();
    }

    [Fact]
    public void LeNetFedChannelsLastComputesTheSameGrouped()
    {
        // Members fed channels-last are regrouped channels-last for the grouped convolutions: a wrong permutation of
        // members, channels or pixels there would change the logits.
        using var scope = NewDisposeScope();
        manual_seed(11);
        var members = Enumerable.Range(0, 3).Select(_ => LeNet.Small(10, inChannels: 3, imageSize: 32, dropoutRate: 0.3)).ToList();
        using var model = LockstepModels.Create(members);
        var x = randn([3, 5, 3, 32, 32], generator: new Generator(4));
        var last = ChannelsLast.Of(x);
        Assert.True(ChannelsLast.Is(last) && !ChannelsLast.Is(x));
        AssertSameComputation(model, x, last);
        foreach (var m in members) m.Dispose();
    }

    [Fact]
    public void MlpComputesTheSameBothWays()
    {
        using var scope = NewDisposeScope();
        manual_seed(9);
        var members = Enumerable.Range(0, 4).Select(_ => new Mlp([(20, 16), (16, 8), (8, 3)], dropoutRate: 0.2)).ToList();
        using var model = LockstepModels.Create(members);
        AssertSameComputation(model, randn([4, 6, 20], generator: new Generator(2)));
        foreach (var m in members) m.Dispose();
    }

    [Fact]
    public void AutoRunsPerMemberOnTheCpu()
    {
        // The auto choice on this CPU is the per-member path: its logits are bit-identical to PerMember's and (with
        // grouped convolutions rounding differently) not to Batched's.
        using var scope = NewDisposeScope();
        manual_seed(10);
        var members = Enumerable.Range(0, 2).Select(_ => LeNet.Small(10, inChannels: 1, imageSize: 28)).ToList();
        using var model = LockstepModels.Create(members);
        var x = randn([2, 4, 1, 28, 28], generator: new Generator(3));
        var auto = ForwardBackward(model, x, LockstepKernels.Auto).Logits;
        var perMember = ForwardBackward(model, x, LockstepKernels.PerMember).Logits;
        var batched = ForwardBackward(model, x, LockstepKernels.Batched).Logits;
        Assert.True(auto.eq(perMember).all().item<bool>());
        // Only telling if the two paths round differently here; otherwise Auto choosing Batched would pass as well.
        Assert.False(batched.eq(perMember).all().item<bool>(), "the batched and per-member paths gave bit-identical logits");
        foreach (var m in members) m.Dispose();
    }

    [Fact]
    public void TrainingWithBatchedKernelsGivesTheSameMembers()
    {
        using var full = FashionMnist.Load(train: true, flatten: false);
        using var train = full.Take(1000);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 128, LearningRate = 0.05, Progress = ProgressSinks.None };
        List<LeNet> Members()
        {
            manual_seed(12);
            return Enumerable.Range(0, 3).Select(_ => LeNet.Small(10, inChannels: 1, imageSize: 28, dropoutRate: 0.2)).ToList();
        }
        var perMember = Members();
        var batched = Members();
        new LockstepTrainer(options) { Kernels = LockstepKernels.PerMember }.Fit(perMember, train);
        new LockstepTrainer(options) { Kernels = LockstepKernels.Batched }.Fit(batched, train);
        for (int m = 0; m < 3; m++)
        {
            double diff = perMember[m].parameters().Zip(batched[m].parameters(), (a, b) => (double)(a - b).abs().max().item<float>()).Max();
            Assert.True(diff <= 1e-4, $"member {m}: max |Δw| = {diff:E2}");
        }
        foreach (var m in perMember.Concat(batched)) m.Dispose();
    }
}
