using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Models;

/// <summary><see cref="SimpleCnn"/> and its kernel models <see cref="LinearizedCnn"/> (NTK) and <see cref="RandomFeatureCnn"/> (GP).</summary>
public class KernelCnnTests
{
    static readonly int[] Widths = [4, 6];
    const int Channels = 2, Size = 8, Classes = 3;

    static Tensor Buffer(nn.Module model, string name) => model.named_buffers().Single(b => b.name == name).buffer;
    static Tensor Param(nn.Module model, string name) => model.named_parameters().Single(p => p.name == name).parameter;

    /// <summary>The network written out with functional ops from its weights (conv 3x3 pad 1, ReLU, 2x2 average pool; linear),
    /// with every layer's pre-activation, so a test can see which units change sign.</summary>
    static (Tensor Logits, List<Tensor> PreActivations) Reference(Tensor x, IReadOnlyList<(Tensor W, Tensor B)> convs, Tensor a, Tensor c)
    {
        var pre = new List<Tensor>();
        var h = x;
        foreach (var (w, b) in convs)
        {
            var z = nn.functional.conv2d(h, w, b, padding: [1, 1]);
            pre.Add(z);
            h = nn.functional.avg_pool2d(nn.functional.relu(z), 2);
        }
        return (h.flatten(1).matmul(a.t()).add(c), pre);
    }

    static string[] Layers => ["conv1", "conv2", "classifier"];

    [Fact]
    public void SimpleCnnIsConvReluAveragePoolThenLinear()
    {
        TestSupport.LoadTorch();
        manual_seed(1);
        using var net = new SimpleCnn(Widths, Classes, Channels, Size);
        Assert.Equal(6L * 2 * 2, net.FeatureCount);
        Assert.Equal(4 * 2 * 9 + 4 + 6 * 4 * 9 + 6 + 3 * 24 + 3, net.parameters().Sum(p => p.numel()));
        using var x = randn(5, Channels, Size, Size);
        using var y = net.forward(x);
        var convs = net.Convolutions.Select(c => ((Tensor)c.weight!, (Tensor)c.bias!)).ToList();
        var (expected, pre) = Reference(x, convs, net.Classifier.weight!, net.Classifier.bias!);
        Assert.Equal(new long[] { 5, Classes }, y.shape);
        Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-6));
        expected.Dispose();
        foreach (var p in pre) p.Dispose();
    }

    [Fact]
    public void KernelModelsStartAsTheNetworkOfTheSameSeed()
    {
        TestSupport.LoadTorch();
        using var x = randn(4, Channels, Size, Size);
        manual_seed(2);
        using var net = new SimpleCnn(Widths, Classes, Channels, Size);
        manual_seed(2);
        using var ntk = new LinearizedCnn(Widths, Classes, Channels, Size);
        manual_seed(2);
        using var gp = new RandomFeatureCnn(Widths, Classes, Channels, Size);
        using var expected = net.forward(x);
        using var ntkOut = ntk.forward(x);
        using var gpOut = gp.forward(x);
        Assert.True(ntkOut.allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.True(gpOut.allclose(expected, rtol: 1e-5, atol: 1e-6));
        manual_seed(3);
        using var other = new LinearizedCnn(Widths, Classes, Channels, Size);
        Assert.False(Buffer(other, "conv1_weight0").allclose(Buffer(ntk, "conv1_weight0")));
    }

    [Fact]
    public void LinearizedCnnIsTheFirstOrderTaylorExpansionErrorShrinksLikeEpsilonSquared()
    {
        TestSupport.LoadTorch();
        manual_seed(5);
        using var lin = new LinearizedCnn(Widths, Classes, Channels, Size);
        lin.to(ScalarType.Float64);
        using var x = randn(6, Channels, Size, Size, dtype: ScalarType.Float64);
        var theta0 = Layers.SelectMany(l => new[] { Buffer(lin, $"{l}_weight0"), Buffer(lin, $"{l}_bias0") }).ToArray();
        var deltas = Layers.SelectMany(l => new[] { Param(lin, $"delta_{l}_weight"), Param(lin, $"delta_{l}_bias") }).ToArray();
        var direction = theta0.Select(t => randn(t.shape, dtype: ScalarType.Float64)).ToArray();
        var (_, pre0) = Reference(x, [(theta0[0], theta0[1]), (theta0[2], theta0[3])], theta0[4], theta0[5]);

        double Error(double eps)
        {
            using var scope = NewDisposeScope();
            using Scalar e = eps;
            using (no_grad())
                for (int i = 0; i < deltas.Length; i++) deltas[i].copy_(direction[i].mul(e));
            var moved = theta0.Zip(direction, (t, d) => t.add(d.mul(e))).ToArray();
            var (exact, pre) = Reference(x, [(moved[0], moved[1]), (moved[2], moved[3])], moved[4], moved[5]);
            // the expansion is second-order exact only where no unit crosses zero: the test's premise
            for (int l = 0; l < pre.Count; l++)
                Assert.True(pre0[l].sign().eq(pre[l].sign()).all().item<bool>(), $"a unit of layer {l + 1} changed sign; pick a smaller epsilon");
            using var linear = lin.forward(x).detach();
            return exact.sub(linear).abs().max().item<double>();
        }

        double e1 = Error(1e-6), e2 = Error(5e-7);
        Assert.True(e1 > 0);
        // The network is a polynomial in θ once the gates are fixed, so the remainder is ε² times a fixed term plus O(ε³).
        Assert.InRange(e1 / e2, 3.98, 4.02);
        // At zero displacement it is the network itself, and it is linear in Δθ: f_lin(2Δ) − f0 = 2 (f_lin(Δ) − f0).
        using (no_grad()) foreach (var d in deltas) d.zero_();
        using var f0 = lin.forward(x).detach();
        using (no_grad()) for (int i = 0; i < deltas.Length; i++) deltas[i].copy_(direction[i]);
        using var f1 = lin.forward(x).detach();
        using (no_grad()) for (int i = 0; i < deltas.Length; i++) deltas[i].copy_(direction[i].mul(2));
        using var f2 = lin.forward(x).detach();
        Assert.True(f2.sub(f0).allclose(f1.sub(f0).mul(2), rtol: 1e-10, atol: 1e-10));
        foreach (var t in direction.Concat(pre0)) t.Dispose();
    }

    [Fact]
    public void LinearizedGradientAtZeroIsTheNetworksGradientAtInitialisation()
    {
        TestSupport.LoadTorch();
        manual_seed(6);
        using var net = new SimpleCnn(Widths, Classes, Channels, Size);
        manual_seed(6);
        using var lin = new LinearizedCnn(Widths, Classes, Channels, Size);
        using var x = randn(7, Channels, Size, Size);
        using var r = randn(7, Classes);
        using (var s = net.forward(x).mul(r).sum()) s.backward();
        using (var s = lin.forward(x).mul(r).sum()) s.backward();
        var plain = new Dictionary<string, Tensor>
        {
            ["conv1_weight"] = net.Convolutions[0].weight!.grad!,
            ["conv1_bias"] = net.Convolutions[0].bias!.grad!,
            ["conv2_weight"] = net.Convolutions[1].weight!.grad!,
            ["conv2_bias"] = net.Convolutions[1].bias!.grad!,
            ["classifier_weight"] = net.Classifier.weight!.grad!,
            ["classifier_bias"] = net.Classifier.bias!.grad!,
        };
        foreach (var (name, grad) in plain)
        {
            Assert.True(grad.abs().sum().item<float>() > 0, $"{name}: the network's gradient is zero, the test checks nothing");
            Assert.True(Param(lin, $"delta_{name}").grad!.allclose(grad, rtol: 1e-4, atol: 1e-6), name);
        }
    }

    [Fact]
    public void RandomFeatureCnnTrainsOnlyItsLastLayer()
    {
        TestSupport.LoadTorch();
        manual_seed(7);
        using var gp = new RandomFeatureCnn(Widths, Classes, Channels, Size);
        Assert.Equal(new[] { "output.bias", "output.weight" }, gp.named_parameters().Select(p => p.name).OrderBy(n => n));
        using var featuresBefore = gp.Features(ones(1, Channels, Size, Size)).detach();
        using var data = new EnsembleKit.Data.TensorDataset(randn(32, Channels, Size, Size), randint(0, Classes, [32]), Classes, "random");
        var history = Trainer.Train(gp, data, new TrainingOptions { Epochs = 2, BatchSize = 8, Progress = ProgressSinks.None });
        Assert.Equal(2, history.Epochs.Count);
        using var featuresAfter = gp.Features(ones(1, Channels, Size, Size));
        Assert.True(featuresAfter.allclose(featuresBefore, rtol: 0, atol: 0));
        // LinearizedCnn: only displacements are parameters, one per weight and bias, all zero at the start.
        using var lin = new LinearizedCnn(Widths, Classes, Channels, Size);
        Assert.Equal(Layers.SelectMany(l => new[] { $"delta_{l}_bias", $"delta_{l}_weight" }).OrderBy(n => n), lin.named_parameters().Select(p => p.name).OrderBy(n => n));
        Assert.All(lin.parameters(), p => Assert.Equal(0f, p.abs().sum().item<float>()));
    }

    [Fact]
    public void BadShapesAreRejected()
    {
        TestSupport.LoadTorch();
        Assert.Throws<ArgumentException>(() => new SimpleCnn([], Classes, Channels, Size));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearizedCnn([4, 0], Classes, Channels, Size));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomFeatureCnn([4, 4, 4, 4], Classes, Channels, Size));
        Assert.Contains("4 2x2 poolings", e.Message);
        using var lin = new LinearizedCnn(Widths, Classes, Channels, Size);
        using var wrong = randn(2, Channels + 1, Size, Size);
        Assert.Contains("[B, 2, 8, 8]", Assert.Throws<ArgumentException>(() => lin.forward(wrong)).Message);
    }

    [Fact]
    public void RepeatedForwardsLeakNoTensors()
    {
        TestSupport.LoadTorch();
        using var lin = new LinearizedCnn(Widths, Classes, Channels, Size);
        using var gp = new RandomFeatureCnn(Widths, Classes, Channels, Size);
        using var x = randn(3, Channels, Size, Size);
        using (var warm = lin.forward(x)) { }
        using (var warm = gp.forward(x)) { }
        long before = TestSupport.LiveTensorCount();
        for (int i = 0; i < 10; i++)
        {
            using (var y = lin.forward(x)) { }
            using (var y = gp.forward(x)) { }
        }
        // Counted without collecting: a temporary left for the finaliser fails it too.
        Assert.Equal(before, Tensor.TotalCount);
    }
}
