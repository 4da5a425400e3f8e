using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Ensembles;

/// <summary>
/// KFAC-Laplace over the whole network. Known answers are computed here in float64, independently of the library's
/// code path: the exact Hessian of softmax regression by central finite differences of autograd gradients and by its
/// closed form, factors from explicit Jacobians, and covariances by explicit Kronecker products and matrix inverses.
/// </summary>
public class KfacLaplaceTests(ITestOutputHelper output)
{
    internal static double[] Values(Tensor t) => t.to(ScalarType.Float64).data<double>().ToArray();

    /// <summary>Same shape, and every entry within <paramref name="tolerance"/> (also used by <see cref="KfacConvolutionTests"/>).</summary>
    internal static void Close(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var e = Values(expected);
        var a = Values(actual);
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance, $"{what} entry {i}: expected {e[i]:R}, got {a[i]:R}");
    }

    /// <summary>Row-major Kronecker product: [(c, d), (c', d')] = G[c, c'] A[d, d'].</summary>
    static Tensor Kron(Tensor g, Tensor a) =>
        (g.unsqueeze(1).unsqueeze(3) * a.unsqueeze(0).unsqueeze(2)).reshape(g.shape[0] * a.shape[0], g.shape[1] * a.shape[1]);

    /// <summary>Six fixed rows of 3 inputs, labels 0..2.</summary>
    static TensorDataset SmallTrain(int rows) => new(
        TestSupport.Tensor2D([[0.5, -1.2, 0.3], [1.1, 0.4, -0.7], [-0.3, 0.9, 1.5], [2.0, -0.5, 0.1], [-1.4, -0.8, 0.6], [0.2, 1.7, -1.1]]).narrow(0, 0, rows),
        tensor(new long[] { 0, 2, 1, 1, 0, 2 }).narrow(0, 0, rows), 3, "small");

    /// <summary>Softmax regression nn.Linear(3, 3) in float64; zero weight (equal predictions on every row) or a fixed one.</summary>
    static TorchSharp.Modules.Linear Regression(bool zeroWeight)
    {
        var model = nn.Linear(3, 3, hasBias: true, dtype: ScalarType.Float64);
        using var _ = no_grad();
        using var w = TestSupport.Tensor2D([[0.8, -0.4, 0.2], [-0.3, 0.6, 0.5], [0.1, 0.2, -0.9]]);
        if (zeroWeight) model.weight!.zero_();
        else model.weight!.copy_(w);
        using var b = tensor(new[] { 0.3, -0.2, 0.5 });
        model.bias!.copy_(b);
        return model;
    }

    /// <summary>The exact Hessian [12, 12] of the summed cross-entropy over W̄ = [W, b] (row-major), by central differences
    /// (h = 1e-4) of autograd gradients: truncation ~h²·|f'''|/6 ≈ 1e-9, round-off ≈ 1e-16·|∇|/h ≈ 1e-11.</summary>
    static Tensor FiniteDifferenceHessian(Tensor map, TensorDataset train)
    {
        using var scope = NewDisposeScope();
        var x = cat([train.Inputs, ones(train.Count, 1, dtype: ScalarType.Float64)], 1);
        Tensor Gradient(Tensor theta)
        {
            using var inner = NewDisposeScope();
            var t = theta.detach().clone().requires_grad_(true);
            var logits = x.matmul(t.reshape(3, 4).t());
            var loss = -nn.functional.log_softmax(logits, 1).gather(1, train.Targets.unsqueeze(1)).sum();
            return autograd.grad([loss], [t])[0].detach().MoveToOuterDisposeScope();
        }
        var flat = map.reshape(-1);
        const double h = 1e-4;
        var columns = new List<Tensor>();
        for (int j = 0; j < 12; j++)
        {
            var step = zeros(12, dtype: ScalarType.Float64);
            step[j] = h;
            columns.Add((Gradient(flat + step) - Gradient(flat - step)) / (2 * h));
        }
        return stack(columns, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The closed form Σ_n Λ_n ⊗ a_n a_nᵀ, in plain doubles.</summary>
    static double[,] ClosedFormHessian(Tensor map, TensorDataset train)
    {
        var w = Values(map);
        var x = Values(train.Inputs);
        var h = new double[12, 12];
        for (int n = 0; n < train.Count; n++)
        {
            double[] a = [x[3 * n], x[3 * n + 1], x[3 * n + 2], 1];
            var z = Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, 4).Sum(d => w[4 * c + d] * a[d])).ToArray();
            double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
            var p = z.Select(v => Math.Exp(v - max) / sum).ToArray();
            for (int c = 0; c < 3; c++)
                for (int c2 = 0; c2 < 3; c2++)
                    for (int d = 0; d < 4; d++)
                        for (int d2 = 0; d2 < 4; d2++)
                            h[4 * c + d, 4 * c2 + d2] += ((c == c2 ? p[c] : 0) - p[c] * p[c2]) * a[d] * a[d2];
        }
        return h;
    }

    [Theory]
    [InlineData(true, 6)]  // equal predictions on every row: Λ_n is one Λ, so Σ Λ ⊗ a aᵀ = N · Λ ⊗ E[a aᵀ]
    [InlineData(false, 1)] // one row: the expectations are the row's own terms
    public void SoftmaxRegressionFactorsGiveTheExactHessianWhereKfacIsExact(bool zeroWeight, int rows)
    {
        using var model = Regression(zeroWeight);
        using var train = SmallTrain(rows);
        using var posterior = KfacLaplace.Fit(model, train);
        using var scope = NewDisposeScope();
        var layer = Assert.Single(posterior.Layers);
        Assert.Equal("", layer.Name);
        Assert.Equal(rows, posterior.DatasetSize);
        var kfac = rows * Kron(layer.G, layer.A);
        var finiteDifference = FiniteDifferenceHessian(layer.Map, train);
        Close(finiteDifference, kfac, 1e-7, "finite-difference Hessian");
        var closed = ClosedFormHessian(layer.Map, train);
        var k = Values(kfac);
        double gap = 0;
        for (int i = 0; i < 12; i++) for (int j = 0; j < 12; j++) gap = Math.Max(gap, Math.Abs(closed[i, j] - k[12 * i + j]));
        output.WriteLine($"max |N·G⊗A − H| = {gap:G3}; vs finite differences {(finiteDifference - kfac).abs().max().item<double>():G3}");
        Assert.True(gap <= 1e-12, $"closed form differs by {gap:G3}");
    }

    [Fact]
    public void KfacIsNotTheExactHessianWhenPredictionsDiffer()
    {
        // The control for the test above: with a fixed weight and six rows, Σ_n Λ_n ⊗ a aᵀ ≠ N · E[Λ] ⊗ E[a aᵀ].
        using var model = Regression(zeroWeight: false);
        using var train = SmallTrain(6);
        using var posterior = KfacLaplace.Fit(model, train);
        using var scope = NewDisposeScope();
        var layer = posterior.Layers[0];
        var kfac = 6 * Kron(layer.G, layer.A);
        var exact = FiniteDifferenceHessian(layer.Map, train);
        double relative = ((kfac - exact).norm().item<double>()) / exact.norm().item<double>();
        output.WriteLine($"relative Frobenius gap of KFAC on six rows: {relative:G4}");
        Assert.True(relative > 0.05, $"gap {relative:G3}");
    }

    [Fact]
    public void SampledFisherFactorsEstimateTheExactOnes()
    {
        // 4002 rows with equal predictions: G_sampled is the mean of 4002 iid (p − e_y)(p − e_y)ᵀ, entries in [−1, 1], whose
        // expectation is Λ = G_exact; its standard error is ≤ 1/√4002 = 0.0158, so 0.07 is ≥ 4.4 standard errors.
        using var model = Regression(zeroWeight: true);
        using var small = SmallTrain(6);
        using var train = new TensorDataset(small.Inputs.repeat(667, 1), small.Targets.repeat(667), 3, "repeated");
        using var exact = KfacLaplace.Fit(model, train, KfacCurvature.ExactGgn);
        using var sampled = KfacLaplace.Fit(model, train, KfacCurvature.SampledFisher, seed: 5);
        using var again = KfacLaplace.Fit(model, train, KfacCurvature.SampledFisher, seed: 5);
        using var other = KfacLaplace.Fit(model, train, KfacCurvature.SampledFisher, seed: 6);
        Close(exact.Layers[0].A, sampled.Layers[0].A, 1e-12, "A");
        Close(exact.Layers[0].G, sampled.Layers[0].G, 0.07, "G");
        using var gap = (exact.Layers[0].G - sampled.Layers[0].G).abs().max();
        output.WriteLine($"max |G_sampled − G_exact| = {gap.item<double>():G3}");
        Assert.True(again.Layers[0].G.allclose(sampled.Layers[0].G, rtol: 0, atol: 0));
        Assert.False(other.Layers[0].G.allclose(sampled.Layers[0].G, rtol: 0, atol: 0));
        Assert.Equal(KfacCurvature.SampledFisher, sampled.Curvature);
    }

    [Fact]
    public void DrawsHaveTheInverseOfTheDampedKroneckerPrecision()
    {
        // Covariance of 4000 draws (mean known: the MAP) against (√N G + √τ I)⁻¹ ⊗ (√N A + √τ I)⁻¹ inverted explicitly.
        // The standard error of an empirical covariance entry is √((s_ii s_jj + s_ij²)/S) ≤ 0.0224 √(s_ii s_jj): 0.1 is ≥ 4.4 of them.
        using var model = Regression(zeroWeight: false);
        using var train = SmallTrain(6);
        using var posterior = KfacLaplace.Fit(model, train, priorPrecision: 0.5, datasetSize: 20);
        using var scope = NewDisposeScope();
        var layer = posterior.Layers[0];
        var identity3 = eye(3, dtype: ScalarType.Float64);
        var identity4 = eye(4, dtype: ScalarType.Float64);
        var precision = Kron(Math.Sqrt(20) * layer.G + Math.Sqrt(0.5) * identity3, Math.Sqrt(20) * layer.A + Math.Sqrt(0.5) * identity4);
        var expected = Values(linalg.inv(precision));
        const int draws = 4000;
        var flat = stack(Enumerable.Range(0, draws).Select(s => posterior.SampleWeights(100 + s)[0].reshape(-1)).ToList(), 0);
        var centred = flat - layer.Map.reshape(-1);
        var actual = Values(centred.t().matmul(centred) / draws);
        double worst = 0;
        for (int i = 0; i < 12; i++)
            for (int j = 0; j < 12; j++)
            {
                double scale = Math.Sqrt(expected[13 * i] * expected[13 * j]);
                double z = Math.Abs(actual[12 * i + j] - expected[12 * i + j]) / scale;
                worst = Math.Max(worst, z);
                Assert.True(z <= 0.1, $"[{i}, {j}]: expected {expected[12 * i + j]:G4}, got {actual[12 * i + j]:G4}");
            }
        output.WriteLine($"largest covariance error / √(s_ii s_jj): {worst:G3}");
    }

    /// <summary>A 4-8-6-3 MLP in float64 with fixed initial weights, and 40 random rows.</summary>
    static (Mlp Model, TensorDataset Train) SmallMlp(ScalarType dtype = ScalarType.Float64, int rows = 40)
    {
        manual_seed(21);
        var model = new Mlp([(4, 8), (8, 6), (6, 3)]);
        model.to(dtype);
        var train = new TensorDataset(randn(rows, 4, dtype: dtype), randint(0, 3, rows, dtype: ScalarType.Int64), 3, "random");
        return (model, train);
    }

    [Fact]
    public void MlpFactorsMatchExplicitJacobians()
    {
        var (model, train) = SmallMlp();
        using var _m = model;
        using var _t = train;
        using var posterior = KfacLaplace.Fit(model, train, batchSize: 16); // three batches: 16, 16, 8
        using var scope = NewDisposeScope();
        Assert.Equal(["layers.0", "layers.1", "layers.2"], posterior.Layers.Select(l => l.Name));
        Assert.Equal([new long[] { 5, 5 }, [9, 9], [7, 7]], posterior.Layers.Select(l => l.A.shape));
        Assert.Equal([new long[] { 8, 8 }, [6, 6], [3, 3]], posterior.Layers.Select(l => l.G.shape));
        Assert.Equal([new long[] { 8, 5 }, [6, 9], [3, 7]], posterior.Layers.Select(l => l.Map.shape));
        Assert.Equal(40, posterior.TrainCount);
        // Explicit forward pass: a_0 = [x; 1], s_1, h_1 = relu(s_1), s_2, h_2, logits.
        var w = model.Layers.Select(l => l.weight!.detach()).ToArray();
        var b = model.Layers.Select(l => l.bias!.detach()).ToArray();
        var x = train.Inputs;
        var s1 = x.matmul(w[0].t()) + b[0];
        var s2 = s1.relu().matmul(w[1].t()) + b[1];
        var logits = s2.relu().matmul(w[2].t()) + b[2];
        var one = ones(40, 1, dtype: ScalarType.Float64);
        var a0 = cat([x, one], 1);
        var a2 = cat([s2.relu(), one], 1);
        Close(a0.t().matmul(a0) / 40, posterior.Layers[0].A, 1e-12, "A_0");
        Close(a2.t().matmul(a2) / 40, posterior.Layers[2].A, 1e-12, "A_2");
        Close(cat([w[1], b[1].unsqueeze(1)], 1), posterior.Layers[1].Map, 0, "MAP of layer 1");
        // The GGN's G: the last layer's J is I, so G_2 = E[Λ]; the middle layer's J = W_3 diag(1[s_2 > 0]), so
        // G_1 = E[D W_3ᵀ Λ W_3 D].
        var p = logits.softmax(1);
        var lambda = diag_embed(p) - p.unsqueeze(2) * p.unsqueeze(1); // [N, 3, 3]
        Close(lambda.mean([0L]), posterior.Layers[2].G, 1e-12, "G_2");
        var jacobian = w[2].unsqueeze(0) * s2.gt(0).to(ScalarType.Float64).unsqueeze(1); // [N, 3, 6]
        var g1 = jacobian.transpose(1, 2).matmul(lambda).matmul(jacobian).mean([0L]);
        Close(g1, posterior.Layers[1].G, 1e-12, "G_1");
        Assert.True(posterior.Layers[0].G.allclose(posterior.Layers[0].G.t(), rtol: 0, atol: 1e-15));
    }

    [Fact]
    public void SequentialNetworksAreRunLayerByLayer()
    {
        manual_seed(3);
        using var model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Sequential(nn.Linear(5, 4, hasBias: false), nn.ReLU()), nn.Linear(4, 3));
        using var train = new TensorDataset(randn(30, 3), randint(0, 3, 30, dtype: ScalarType.Int64), 3);
        using var posterior = KfacLaplace.Fit(model, train, KfacCurvature.SampledFisher, seed: 1);
        Assert.Equal(["0", "2.0", "3"], posterior.Layers.Select(l => l.Name));
        Assert.Equal([true, false, true], posterior.Layers.Select(l => l.HasBias));
        Assert.Equal([4, 5, 5], posterior.Layers.Select(l => l.InputSize));
        Assert.Equal([5, 4, 3], posterior.Layers.Select(l => l.Outputs));
        using var ensemble = posterior.ToEnsemble(3, seed: 2);
        using var logits = ensemble.MemberLogits(train);
        Assert.Equal(new long[] { 3, 30, 3 }, logits.shape);
        // member states load into the architecture and give the member logits
        var states = ensemble.MemberStates();
        try
        {
            using var copy = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Sequential(nn.Linear(5, 4, hasBias: false), nn.ReLU()), nn.Linear(4, 3));
            states[2].LoadInto(copy);
            using var direct = Predict.Logits(copy, train);
            Assert.True(direct.allclose(logits[2], rtol: 1e-5, atol: 1e-6));
        }
        finally
        {
            foreach (var s in states) s.Dispose();
        }
    }

    [Fact]
    public void EnsembleMembersAreSeededDrawsOfTheWholeNetwork()
    {
        var (model, train) = SmallMlp(ScalarType.Float32);
        using var _m = model;
        using var _t = train;
        using var test = new TensorDataset(randn(10, 4), randint(0, 3, 10, dtype: ScalarType.Int64), 3);
        using var before = Predict.Logits(model, test);
        using var posterior = KfacLaplace.Fit(model, train, priorPrecision: 2, datasetSize: 100);
        using var ensemble = posterior.ToEnsemble(5, seed: 7);
        Assert.Equal("KFAC-Laplace", ensemble.Method);
        Assert.Equal(5, ensemble.Count);
        Assert.Equal(CombinationRule.MeanProbabilities, ensemble.Rule);
        Assert.Equal(new Dictionary<string, string> { ["curvature"] = "ExactGgn", ["dataset size"] = "100", ["prior precision"] = "2", ["seed"] = "7" },
            ensemble.Settings);
        using var a = ensemble.MemberLogits(test);
        using var b = ensemble.MemberLogits(test);
        using var batched = ensemble.MemberLogits(test, batchSize: 3);
        Assert.Equal(new long[] { 5, 10, 3 }, a.shape);
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        Assert.True(a.allclose(batched, rtol: 1e-5, atol: 1e-6)); // float32 matmuls of other shapes round differently
        for (int s = 1; s < 5; s++) Assert.False(a[0].allclose(a[s], rtol: 1e-3, atol: 1e-3), $"members 0 and {s} agree");
        using var other = posterior.ToEnsemble(5, seed: 8);
        using var c = other.MemberLogits(test);
        Assert.True(c[0].allclose(a[1], rtol: 0, atol: 0)); // seed 8 + 0 = seed 7 + 1
        // the model's own weights are back, bit for bit
        using var after = Predict.Logits(model, test);
        Assert.True(after.allclose(before, rtol: 0, atol: 0));
        // the ensemble keeps its τ and N when the posterior's change
        posterior.PriorPrecision = 1e4;
        posterior.DatasetSize = 1;
        using var d = ensemble.MemberLogits(test);
        Assert.True(a.allclose(d, rtol: 0, atol: 0));
        // saved and loaded, the members are the same networks
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "kfac.ens");
        EnsembleFile.Save(ensemble, path);
        using var loaded = EnsembleFile.Load(path, () => new Mlp([(4, 8), (8, 6), (6, 3)]));
        Assert.Equal("KFAC-Laplace", loaded.Method);
        using var e = loaded.MemberLogits(test);
        Assert.True(e.allclose(a, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void ManyDrawsAverageToTheMapWithThePosteriorsSpread()
    {
        // 2000 draws of the 4-8-6-3 MLP (129 weights): per weight, z = (mean − MAP) / √(var/S) with var = U_ii V_jj from the
        // explicitly inverted factors. Under the posterior each z ~ N(0, 1): |z| ≤ 4.5 for all 129 fails with probability
        // ≈ 129 · 6.8e-6 ≈ 1e-3; the sample variance / var has standard error √(2/2000) = 0.032, so 0.15 is 4.7 of them.
        var (model, train) = SmallMlp();
        using var _m = model;
        using var _t = train;
        using var posterior = KfacLaplace.Fit(model, train, priorPrecision: 3);
        const int draws = 2000;
        using var scope = NewDisposeScope();
        var samples = Enumerable.Range(0, draws).Select(s => posterior.SampleWeights(1000 + s)).ToList();
        double worstZ = 0, worstVariance = 0;
        for (int l = 0; l < posterior.Layers.Count; l++)
        {
            var layer = posterior.Layers[l];
            var stacked = stack(samples.Select(s => s[l]).ToList(), 0); // [S, O, Q]
            double n = Math.Sqrt(40), tau = Math.Sqrt(3);
            var u = linalg.inv(n * layer.G + tau * eye(layer.Outputs, dtype: ScalarType.Float64)).diagonal();
            var v = linalg.inv(n * layer.A + tau * eye(layer.InputSize, dtype: ScalarType.Float64)).diagonal();
            var variance = u.unsqueeze(1) * v.unsqueeze(0);
            var z = (stacked.mean([0L]) - layer.Map) / (variance / draws).sqrt();
            var ratio = (stacked - layer.Map).square().mean([0L]) / variance;
            worstZ = Math.Max(worstZ, z.abs().max().item<double>());
            worstVariance = Math.Max(worstVariance, (ratio - 1).abs().max().item<double>());
        }
        output.WriteLine($"max |z| of the mean: {worstZ:G3}; max |sample variance / posterior variance − 1|: {worstVariance:G3}");
        Assert.True(worstZ <= 4.5, $"max |z| = {worstZ:G3}");
        Assert.True(worstVariance <= 0.15, $"variance ratio off by {worstVariance:G3}");
    }

    [Fact]
    public void PriorPrecisionSearchPicksTheGridValueWithTheLowestValidationNll()
    {
        var (model, train) = SmallMlp(ScalarType.Float32);
        using var _m = model;
        using var _t = train;
        using var validation = new TensorDataset(randn(20, 4), randint(0, 3, 20, dtype: ScalarType.Int64), 3);
        using var posterior = KfacLaplace.Fit(model, train);
        double[] grid = [1e-3, 0.1, 10, 1000];
        var search = posterior.TunePriorPrecision(validation, samples: 4, seed: 3, grid: grid);
        Assert.Equal(grid, search.Grid);
        Assert.Equal(search.Chosen, posterior.PriorPrecision);
        var bruteForce = grid.Select(tau =>
        {
            posterior.PriorPrecision = tau;
            using var ensemble = posterior.ToEnsemble(4, seed: 3);
            return EnsembleEvaluation.Evaluate(ensemble, validation).Ensemble.Nll;
        }).ToArray();
        output.WriteLine($"validation NLL by τ: {string.Join(", ", bruteForce.Select(v => v.ToString("G4")))}");
        for (int i = 0; i < grid.Length; i++) Assert.Equal(bruteForce[i], search.ValidationNll[i], 5);
        Assert.Equal(grid[Array.IndexOf(bruteForce, bruteForce.Min())], search.Chosen);
        Assert.True(bruteForce.Max() - bruteForce.Min() > 0.01, "the grid should matter on this case");
    }

    /// <summary>Calls its layers' forward itself: not a chain KFAC-Laplace can run.</summary>
    sealed class Custom : nn.Module<Tensor, Tensor>
    {
        readonly TorchSharp.Modules.Linear body, head;

        public Custom() : base("Custom")
        {
            body = nn.Linear(3, 4);
            head = nn.Linear(4, 3);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => head.forward(body.forward(x).relu());
    }

    [Fact]
    public void UnsupportedLayersAndBadArgumentsAreRefused()
    {
        using var train = new TensorDataset(randn(8, 3), randint(0, 3, 8, dtype: ScalarType.Int64), 3);
        using var norm = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 3));
        var e = Assert.Throws<NotSupportedException>(() => KfacLaplace.Fit(norm, train));
        Assert.Contains("'1' (BatchNorm1d)", e.Message);
        using var embedding = nn.Sequential(nn.Embedding(5, 3), nn.Flatten(), nn.Linear(3, 3));
        Assert.Contains("'0' (Embedding)", Assert.Throws<NotSupportedException>(() => KfacLaplace.Fit(embedding, train)).Message);
        using var custom = new Custom();
        Assert.Contains("Custom", Assert.Throws<NotSupportedException>(() => KfacLaplace.Fit(custom, train)).Message);

        using var model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 3));
        var prior = Assert.Throws<ArgumentOutOfRangeException>(() => KfacLaplace.Fit(model, train, priorPrecision: 0));
        Assert.Equal("priorPrecision", prior.ParamName);
        Assert.Contains("got 0", prior.Message);
        var size = Assert.Throws<ArgumentOutOfRangeException>(() => KfacLaplace.Fit(model, train, datasetSize: -5));
        Assert.Equal("datasetSize", size.ParamName);
        Assert.Contains("got -5", size.Message);
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => KfacLaplace.Fit(model, train, batchSize: 0)).ParamName);
        Assert.Equal("curvature", Assert.Throws<ArgumentOutOfRangeException>(() => KfacLaplace.Fit(model, train, (KfacCurvature)7)).ParamName);
        using var posterior = KfacLaplace.Fit(model, train);
        Assert.Equal("PriorPrecision", Assert.Throws<ArgumentOutOfRangeException>(() => posterior.PriorPrecision = double.NaN).ParamName);
        var infinite = Assert.Throws<ArgumentOutOfRangeException>(() => posterior.DatasetSize = double.PositiveInfinity);
        Assert.Equal("DatasetSize", infinite.ParamName);
        Assert.Contains("Infinity", infinite.Message);
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => posterior.ToEnsemble(0)).ParamName);
        Assert.Equal("prior", Assert.Throws<ArgumentOutOfRangeException>(() => posterior.SampleWeights(0, prior: -1)).ParamName);
        var grid = Assert.Throws<ArgumentOutOfRangeException>(() => posterior.TunePriorPrecision(train, grid: [1, -2]));
        Assert.Equal("grid", grid.ParamName);
        Assert.Contains("-2", grid.Message);
    }

    [Fact]
    public void FittingSamplingAndPredictingLeaveNoLiveTensors()
    {
        var (model, train) = SmallMlp(ScalarType.Float32);
        using var _m = model;
        using var _t = train;
        void Work()
        {
            foreach (var curvature in new[] { KfacCurvature.ExactGgn, KfacCurvature.SampledFisher })
            {
                using var posterior = KfacLaplace.Fit(model, train, curvature, batchSize: 16);
                posterior.TunePriorPrecision(train, samples: 2, grid: [0.1, 1]);
                foreach (var w in posterior.SampleWeights(4)) w.Dispose();
                using var ensemble = posterior.ToEnsemble(3);
                ensemble.MemberLogits(train).Dispose();
                foreach (var s in ensemble.MemberStates()) s.Dispose();
            }
        }
        Work();
        long live = TestSupport.LiveTensorCount();
        Work();
        Assert.Equal(live, TestSupport.LiveTensorCount());
    }
}
