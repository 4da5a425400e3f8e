using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Ensembles;

/// <summary>
/// KFAC-Laplace over convolutions (KFC, Grosse and Martens 2016). The known answers are computed here in float64 from
/// explicit loops over the input patches and from explicit Jacobians of the logits, not through <c>unfold</c>.
/// </summary>
public class KfacConvolutionTests
{
    static double[] Values(Tensor t) => KfacLaplaceTests.Values(t);

    static void Close(Tensor expected, Tensor actual, double tolerance, string what) => KfacLaplaceTests.Close(expected, actual, tolerance, what);

    /// <summary>conv 2→3 channels, 2×2 kernel, padding 1 on 3×3 inputs (T = 16 positions), ReLU, flatten, linear 48→3; float64.</summary>
    static (TorchSharp.Modules.Sequential Model, TensorDataset Train) SmallConvNet(int rows = 12)
    {
        manual_seed(11);
        var model = nn.Sequential(nn.Conv2d(2, 3, 2, padding: 1, dtype: ScalarType.Float64), nn.ReLU(), nn.Flatten(), nn.Linear(48, 3, dtype: ScalarType.Float64));
        var train = new TensorDataset(randn(rows, 2, 3, 3, dtype: ScalarType.Float64), randint(0, 3, rows, dtype: ScalarType.Int64), 3, "random images");
        return (model, train);
    }

    [Fact]
    public void ConvolutionFactorsSumPatchesAndAverageGradientsOverPositions()
    {
        var (model, train) = SmallConvNet();
        using var _m = model;
        using var _t = train;
        using var posterior = KfacLaplace.Fit(model, train, batchSize: 5); // three batches: 5, 5, 2
        using var scope = NewDisposeScope();
        Assert.Equal(["0", "3"], posterior.Layers.Select(l => l.Name));
        Assert.Equal([9, 49], posterior.Layers.Select(l => l.InputSize));   // 2·2·2 + 1, 48 + 1
        Assert.Equal([3, 3], posterior.Layers.Select(l => l.Outputs));

        var conv = (TorchSharp.Modules.Conv2d)model[0];
        var linear = (TorchSharp.Modules.Linear)model[3];
        var w = Values(conv.weight!);                                 // [3, 2, 2, 2]
        var bias = Values(conv.bias!);
        var x = Values(train.Inputs);                                 // [N, 2, 3, 3]
        int n = (int)train.Count;
        // Explicit patches: position (i, j) of the 4×4 output reads input rows i−1..i, columns j−1..j (zero outside).
        double Pixel(int row, int c, int r, int col) => r < 0 || r > 2 || col < 0 || col > 2 ? 0 : x[((row * 2 + c) * 3 + r) * 3 + col];
        var a = new double[9, 9];
        var s = new double[n, 3, 16];
        for (int row = 0; row < n; row++)
            for (int t = 0; t < 16; t++)
            {
                var patch = new double[9];
                for (int c = 0; c < 2; c++)
                    for (int di = 0; di < 2; di++)
                        for (int dj = 0; dj < 2; dj++)
                            patch[c * 4 + di * 2 + dj] = Pixel(row, c, t / 4 - 1 + di, t % 4 - 1 + dj);
                patch[8] = 1;
                for (int u = 0; u < 9; u++)
                    for (int v = 0; v < 9; v++) a[u, v] += patch[u] * patch[v] / n;
                for (int o = 0; o < 3; o++) s[row, o, t] = bias[o] + Enumerable.Range(0, 8).Sum(u => w[o * 8 + u] * patch[u]);
            }
        Close(tensor(a), posterior.Layers[0].A, 1e-12, "A of the convolution (patches summed over positions)");
        // The MAP is the weight flattened (in, kh, kw) with the bias last.
        Close(cat([conv.weight!.detach().reshape(3, 8), conv.bias!.detach().unsqueeze(1)], 1), posterior.Layers[0].Map, 0, "MAP of the convolution");

        // G of the convolution: ∂f/∂s[o, t] = W_lin[:, o·16 + t] · 1[s > 0]; per row Λ = diag(p) − p pᵀ, and
        // G = (1/N) Σ_n (1/T) Σ_t J_tᵀ Λ J_t with J_t [3 classes, 3 channels].
        var wl = Values(linear.weight!);                              // [3, 48]
        using var logits = model.forward(train.Inputs);
        var p = Values(logits.softmax(1));
        var g = new double[3, 3];
        var hidden = new double[n, 49];
        for (int row = 0; row < n; row++)
        {
            for (int k = 0; k < 48; k++) hidden[row, k] = Math.Max(0, s[row, k / 16, k % 16]);
            hidden[row, 48] = 1;
            for (int t = 0; t < 16; t++)
                for (int o = 0; o < 3; o++)
                    for (int o2 = 0; o2 < 3; o2++)
                    {
                        double sum = 0;
                        for (int c = 0; c < 3; c++)
                            for (int c2 = 0; c2 < 3; c2++)
                            {
                                double lambda = (c == c2 ? p[row * 3 + c] : 0) - p[row * 3 + c] * p[row * 3 + c2];
                                double jc = s[row, o, t] > 0 ? wl[c * 48 + o * 16 + t] : 0;
                                double jc2 = s[row, o2, t] > 0 ? wl[c2 * 48 + o2 * 16 + t] : 0;
                                sum += jc * lambda * jc2;
                            }
                        g[o, o2] += sum / 16 / n;
                    }
        }
        Close(tensor(g), posterior.Layers[0].G, 1e-12, "G of the convolution (gradients averaged over positions)");
        // The linear head on top is covered as before: A = E[[h; 1][h; 1]ᵀ], G = E[Λ].
        var h = tensor(hidden.Cast<double>().ToArray()).reshape(n, 49);
        Close(h.t().matmul(h) / n, posterior.Layers[1].A, 1e-12, "A of the head");
        var probabilities = tensor(p).reshape(n, 3);
        var lambdas = diag_embed(probabilities) - probabilities.unsqueeze(2) * probabilities.unsqueeze(1);
        Close(lambdas.mean([0L]), posterior.Layers[1].G, 1e-12, "G of the head");
    }

    [Fact]
    public void DrawsLoadIntoTheConvolutionsAndNearMapAtAStrongPrior()
    {
        var (model, train) = SmallConvNet();
        using var _m = model;
        using var _t = train;
        using var before = Predict.Logits(model, train);
        using var posterior = KfacLaplace.Fit(model, train, KfacCurvature.SampledFisher, seed: 3);
        using var ensemble = posterior.ToEnsemble(3, seed: 4);
        using var logits = ensemble.MemberLogits(train);
        Assert.Equal(new long[] { 3, 12, 3 }, logits.shape);
        Assert.False(logits[0].allclose(logits[1], rtol: 1e-3, atol: 1e-3));
        using (var after = Predict.Logits(model, train)) Assert.True(after.allclose(before, rtol: 0, atol: 0), "the model's weights are back bit for bit");
        // a member state holds the draw in the convolution's own shape
        var states = ensemble.MemberStates();
        try
        {
            using var copy = nn.Sequential(nn.Conv2d(2, 3, 2, padding: 1, dtype: ScalarType.Float64), nn.ReLU(), nn.Flatten(), nn.Linear(48, 3, dtype: ScalarType.Float64));
            states[1].LoadInto(copy);
            using var direct = Predict.Logits(copy, train);
            Assert.True(direct.allclose(logits[1], rtol: 1e-10, atol: 1e-10));
            Assert.Equal(new long[] { 3, 2, 2, 2 }, states[1].State["0.weight"].shape);
        }
        finally
        {
            foreach (var state in states) state.Dispose();
        }
        // at a prior precision of 1e12 every draw is the MAP to ~1e-6
        posterior.PriorPrecision = 1e12;
        using var tight = posterior.ToEnsemble(2, seed: 0);
        using var near = tight.MemberLogits(train);
        Assert.True(near[0].allclose(before, rtol: 0, atol: 1e-4) && near[1].allclose(before, rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void LeNetIsRunLayerByLayerAndLeavesNoLiveTensors()
    {
        manual_seed(5);
        using var model = LeNet.Small(dropoutRate: 0.5);                // dropout is the identity in eval mode
        using var train = new TensorDataset(randn(16, 3, 32, 32), randint(0, 10, 16, dtype: ScalarType.Int64), 10, "random CIFAR-sized images");
        using var before = Predict.Logits(model, train);
        void Work()
        {
            using var posterior = KfacLaplace.Fit(model, train, batchSize: 10);
            Assert.Equal(["conv1", "conv2", "fc1", "fc2", "classifier"], posterior.Layers.Select(l => l.Name));
            Assert.Equal([76, 401, 801, 257, 129], posterior.Layers.Select(l => l.InputSize)); // 3·25 + 1, 16·25 + 1, 32·25 + 1, ...
            Assert.Equal([16, 32, 256, 128, 10], posterior.Layers.Select(l => l.Outputs));
            using var ensemble = posterior.ToEnsemble(2, seed: 1);
            using var logits = ensemble.MemberLogits(train);
            Assert.Equal(new long[] { 2, 16, 10 }, logits.shape);
            Assert.True(logits.isfinite().all().item<bool>());
        }
        Work();
        long live = TestSupport.LiveTensorCount();
        Work();
        Assert.Equal(live, TestSupport.LiveTensorCount());
        using var after = Predict.Logits(model, train);
        Assert.True(after.allclose(before, rtol: 0, atol: 0));
    }

    [Fact]
    public void GroupedConvolutionsAreRefusedNamingTheLayer()
    {
        using var train = new TensorDataset(randn(4, 2, 3, 3), randint(0, 3, 4, dtype: ScalarType.Int64), 3);
        using var grouped = nn.Sequential(nn.Conv2d(2, 2, 3, groups: 2), nn.Flatten(), nn.Linear(2, 3));
        var e = Assert.Throws<NotSupportedException>(() => KfacLaplace.Fit(grouped, train));
        Assert.Contains("layer '0'", e.Message);
        Assert.Contains("groups = 2", e.Message);
    }
}
