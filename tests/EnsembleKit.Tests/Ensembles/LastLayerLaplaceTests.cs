using System.Text.Json;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Ensembles;

/// <summary>
/// Last-layer Laplace on softmax regression where the model is the head (identity features), against
/// tests/reference/laplace_reference.json (numpy 1.24.2, Debian's /usr/bin/python3; finite-difference Hessian, explicit
/// Kronecker products and matrix inverses).
/// </summary>
public class LastLayerLaplaceTests
{
    static readonly Lazy<JsonElement> Reference = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestSupport.RepoRoot, "tests", "reference", "laplace_reference.json"))).RootElement);

    static double[][] Matrix(string name) =>
        Reference.Value.GetProperty(name).EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    static double[] Vector(string name) => Reference.Value.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    static Tensor ToTensor(double[][] rows) => TestSupport.Tensor2D(rows);

    /// <summary>A float64 nn.Linear(3, 3) holding the reference weights.</summary>
    static nn.Module<Tensor, Tensor> ReferenceModel()
    {
        var model = nn.Linear(3, 3, hasBias: true, dtype: ScalarType.Float64);
        using var _ = no_grad();
        using var w = ToTensor(Matrix("weight"));
        using var b = tensor(Vector("bias"), ScalarType.Float64);
        model.weight!.copy_(w);
        model.bias!.copy_(b);
        return model;
    }

    static TensorDataset ReferenceTrain() =>
        new(ToTensor(Matrix("x")), tensor(Vector("y").Select(v => (long)v).ToArray()), 3, "reference train");

    static TensorDataset ReferenceTest() =>
        new(ToTensor(Matrix("test_x")), tensor(new long[] { 0, 1, 2, 1 }), 3, "reference test");

    static void Close(double[][] expected, Tensor actual, double tolerance)
    {
        Assert.Equal(new long[] { expected.Length, expected[0].Length }, actual.shape);
        var values = actual.to(ScalarType.Float64).data<double>().ToArray();
        for (int i = 0; i < expected.Length; i++)
            for (int j = 0; j < expected[0].Length; j++)
            {
                double e = expected[i][j], a = values[i * expected[0].Length + j];
                Assert.True(Math.Abs(e - a) <= tolerance, $"[{i}, {j}]: expected {e:R}, got {a:R}");
            }
    }

    [Fact]
    public void DiagonalGgnIsTheDiagonalOfTheFiniteDifferenceHessian()
    {
        using var model = ReferenceModel();
        using var train = ReferenceTrain();
        using var posterior = LastLayerLaplace.Fit(model, train, HessianKind.Diagonal);
        Assert.Equal(3, posterior.Classes);
        Assert.Equal(4, posterior.InputSize);
        Assert.True(posterior.HasBias);
        Assert.Equal("", posterior.HeadName);
        // the finite-difference Hessian agrees with the exact GGN to 6e-11 (reference file); allow 1e-8
        Close(Matrix("hessian_diagonal"), posterior.DiagonalGgn, 1e-8);
        Close(Matrix("ggn_diagonal_exact"), posterior.DiagonalGgn, 1e-12);
        // MAP = the trained weights with the bias as the last column
        Assert.Equal(Vector("bias")[1], posterior.Map[1, 3].item<double>(), 15);
        Assert.Equal(Matrix("weight")[2][0], posterior.Map[2, 0].item<double>(), 15);
    }

    [Fact]
    public void KfacFactorsAreTheSumsOfOuterProducts()
    {
        using var model = ReferenceModel();
        using var train = ReferenceTrain();
        using var posterior = LastLayerLaplace.Fit(model, train, HessianKind.Kfac);
        Close(Matrix("kfac_a"), posterior.KfacA, 1e-12);
        Close(Matrix("kfac_g"), posterior.KfacG, 1e-12);
        Assert.Equal(6, posterior.TrainCount);
        Assert.Throws<InvalidOperationException>(() => posterior.DiagonalGgn);
    }

    [Theory]
    [InlineData(HessianKind.Diagonal, "logit_variance_diag", "probit_diag")]
    [InlineData(HessianKind.Kfac, "logit_variance_kfac", "probit_kfac")]
    public void ProbitPredictiveMatchesTheExplicitCovariance(HessianKind kind, string varianceName, string probitName)
    {
        using var model = ReferenceModel();
        using var train = ReferenceTrain();
        using var test = ReferenceTest();
        double prior = Reference.Value.GetProperty("prior_precision").GetDouble();
        using var posterior = LastLayerLaplace.Fit(model, train, kind, priorPrecision: prior);
        using var inputs = posterior.Features(test);
        var (mean, variance) = posterior.LogitMoments(inputs);
        using (mean) using (variance)
        {
            Close(Matrix("logit_mean"), mean, 1e-12);
            Close(Matrix(varianceName), variance, 1e-10);
        }
        using var ensemble = posterior.ToEnsemble(LaplacePredictive.Probit);
        Assert.Equal(1, ensemble.Count);
        Assert.Equal(kind == HessianKind.Diagonal ? "last-layer Laplace (diag, probit)" : "last-layer Laplace (KFAC, probit)", ensemble.Method);
        using var logits = ensemble.MemberLogits(test);
        Assert.Equal(new long[] { 1, 4, 3 }, logits.shape);
        using var probs = logits[0].softmax(1);
        Close(Matrix(probitName), probs, 1e-6); // float32 logits
        Assert.Throws<NotSupportedException>(() => ensemble.MemberStates());
    }

    [Fact]
    public void KfacDrawsHaveTheExplicitKroneckerCovariance()
    {
        using var model = ReferenceModel();
        using var train = ReferenceTrain();
        double prior = Reference.Value.GetProperty("prior_precision").GetDouble();
        using var posterior = LastLayerLaplace.Fit(model, train, HessianKind.Kfac, priorPrecision: prior);
        const int draws = 4000;
        using var scope = NewDisposeScope();
        var flat = stack(Enumerable.Range(0, draws).Select(s => posterior.SampleWeights(100 + s).reshape(-1)).ToList(), 0); // [S, 12]
        var centred = flat - posterior.Map.reshape(-1); // the mean is known: W_MAP
        var covariance = centred.t().matmul(centred) / draws;
        var expected = Matrix("kfac_covariance");
        var actual = covariance.data<double>().ToArray();
        for (int i = 0; i < 12; i++)
            for (int j = 0; j < 12; j++)
            {
                // standard error of an empirical covariance ≈ sqrt((s_ii s_jj + s_ij²)/S) ≤ 0.023 sqrt(s_ii s_jj); allow ~4.5 of them
                double bound = 0.1 * Math.Sqrt(expected[i][i] * expected[j][j]);
                Assert.True(Math.Abs(actual[i * 12 + j] - expected[i][j]) <= bound, $"[{i}, {j}]: expected {expected[i][j]:G4}, got {actual[i * 12 + j]:G4}");
            }
    }

    [Fact]
    public void DiagonalDrawsHaveTheInverseDiagonalPrecision()
    {
        using var model = ReferenceModel();
        using var train = ReferenceTrain();
        using var posterior = LastLayerLaplace.Fit(model, train, HessianKind.Diagonal, priorPrecision: 0.7);
        using var scope = NewDisposeScope();
        var flat = stack(Enumerable.Range(0, 4000).Select(s => posterior.SampleWeights(s)).ToList(), 0); // [S, 3, 4]
        var variance = (flat - posterior.Map).square().mean([0L]);
        var expected = Matrix("hessian_diagonal").Select(r => r.Select(h => 1 / (h + 0.7)).ToArray()).ToArray();
        var actual = variance.data<double>().ToArray();
        for (int i = 0; i < 12; i++)
        {
            double e = expected[i / 4][i % 4];
            Assert.True(Math.Abs(actual[i] - e) <= 0.1 * e, $"entry {i}: expected {e:G4}, got {actual[i]:G4}"); // s.e. 2.2%
        }
    }

    [Fact]
    public void PriorPrecisionSearchPicksTheGridValueWithTheLowestValidationNll()
    {
        using var model = ReferenceModel();
        using var train = ReferenceTrain();
        using var validation = ReferenceTest();
        double[] grid = [1e-3, 1e-2, 0.1, 0.3, 1, 3, 10, 100];
        foreach (var predictive in new[] { LaplacePredictive.Probit, LaplacePredictive.MonteCarlo })
        {
            using var posterior = LastLayerLaplace.Fit(model, train, HessianKind.Kfac);
            var search = posterior.TunePriorPrecision(validation, predictive, samples: 20, seed: 3, grid: grid);
            Assert.Equal(grid, search.Grid);
            Assert.Equal(search.Chosen, posterior.PriorPrecision);
            // brute force through the public ensemble and the kit's scoring
            var bruteForce = grid.Select(lambda =>
            {
                posterior.PriorPrecision = lambda;
                using var ensemble = posterior.ToEnsemble(predictive, samples: 20, seed: 3);
                return EnsembleEvaluation.Evaluate(ensemble, validation).Ensemble.Nll;
            }).ToArray();
            for (int i = 0; i < grid.Length; i++) Assert.Equal(bruteForce[i], search.ValidationNll[i], 5);
            int best = Array.IndexOf(bruteForce, bruteForce.Min());
            Assert.Equal(grid[best], search.Chosen);
            Assert.True(bruteForce.Max() - bruteForce.Min() > 0.01, "the grid should matter on this case");
        }
        using var p = LastLayerLaplace.Fit(model, train, HessianKind.Diagonal);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => p.TunePriorPrecision(validation, LaplacePredictive.Probit, grid: [1, -2]));
        Assert.Equal("grid", e.ParamName);
        Assert.Contains("-2", e.Message);
    }

    [Fact]
    public void MonteCarloMembersAreDeterministicUnderTheSeed()
    {
        using var model = ReferenceModel();
        using var train = ReferenceTrain();
        using var test = ReferenceTest();
        using var posterior = LastLayerLaplace.Fit(model, train, HessianKind.Diagonal, priorPrecision: 0.5);
        using var ensemble = posterior.ToEnsemble(LaplacePredictive.MonteCarlo, samples: 5, seed: 11);
        Assert.Equal("last-layer Laplace (diag, MC)", ensemble.Method);
        using var a = ensemble.MemberLogits(test);
        using var b = ensemble.MemberLogits(test);
        Assert.Equal(new long[] { 5, 4, 3 }, a.shape);
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        Assert.False(a[0].allclose(a[1]));
        using var other = posterior.ToEnsemble(LaplacePredictive.MonteCarlo, samples: 5, seed: 12);
        using var c = other.MemberLogits(test);
        Assert.True(c[0].allclose(a[1], rtol: 0, atol: 0)); // seed 12 + 0 = seed 11 + 1
        // member s = the features times draw seed + s
        using var inputs = posterior.Features(test);
        using var w = posterior.SampleWeights(11 + 3);
        using var direct = inputs.matmul(w.t()).to(ScalarType.Float32);
        Assert.True(a[3].allclose(direct, rtol: 0, atol: 0));
        // the ensemble keeps its λ when the posterior's changes
        posterior.PriorPrecision = 50;
        using var d = ensemble.MemberLogits(test);
        Assert.True(a.allclose(d, rtol: 0, atol: 0));
    }

    [Fact]
    public void MonteCarloEnsembleRoundTripsThroughEnsembleFile()
    {
        using var folder = new TempFolder();
        manual_seed(1);
        Func<nn.Module<Tensor, Tensor>> create = () => nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 3));
        using var model = create();
        using var train = new TensorDataset(randn(40, 3), randint(0, 3, 40, dtype: ScalarType.Int64), 3);
        using var test = new TensorDataset(randn(10, 3), randint(0, 3, 10, dtype: ScalarType.Int64), 3);
        using var posterior = LastLayerLaplace.Fit(model, train, HessianKind.Kfac, priorPrecision: 2);
        Assert.Equal("2", posterior.HeadName); // the last nn.Linear of the Sequential
        using var ensemble = posterior.ToEnsemble(LaplacePredictive.MonteCarlo, samples: 4, seed: 9);
        string path = Path.Combine(folder.Path, "laplace.ens");
        EnsembleFile.Save(ensemble, path);
        using var loaded = EnsembleFile.Load(path, create);
        Assert.Equal(ensemble.Method, loaded.Method);
        Assert.Equal(4, loaded.Count);
        using var expected = ensemble.MemberLogits(test);
        using var actual = loaded.MemberLogits(test);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void FittingAndPredictingLeaveNoLiveTensors()
    {
        using var model = ReferenceModel();
        using var train = ReferenceTrain();
        using var test = ReferenceTest();
        void Work()
        {
            foreach (var kind in new[] { HessianKind.Diagonal, HessianKind.Kfac })
            {
                using var posterior = LastLayerLaplace.Fit(model, train, kind, test, LaplacePredictive.MonteCarlo, samples: 3, grid: [0.1, 1]);
                using var mc = posterior.ToEnsemble(LaplacePredictive.MonteCarlo, samples: 3);
                mc.MemberLogits(test).Dispose();
                foreach (var s in mc.MemberStates()) s.Dispose();
                using var probit = posterior.ToEnsemble(LaplacePredictive.Probit);
                probit.MemberLogits(test).Dispose();
            }
        }
        Work();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long live = Tensor.TotalCount;
        Work();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal(live, Tensor.TotalCount);
    }

    /// <summary>Calls its head's forward directly, as the kit's models do, so hooks never fire.</summary>
    sealed class DirectHead : nn.Module<Tensor, Tensor>
    {
        readonly TorchSharp.Modules.Linear body, head;

        public DirectHead() : base("DirectHead")
        {
            body = nn.Linear(3, 7);
            head = nn.Linear(7, 3);
            RegisterComponents();
        }

        public Tensor Hidden(Tensor x) => nn.functional.relu(body.forward(x));

        public override Tensor forward(Tensor x) => head.forward(Hidden(x));
    }

    [Fact]
    public void FeaturesAreTheHeadsInputsHoweverTheModelCallsIt()
    {
        manual_seed(4);
        using var model = new DirectHead();
        using var train = new TensorDataset(randn(30, 3), randint(0, 3, 30, dtype: ScalarType.Int64), 3);
        using var before = Predict.Logits(model, train);
        using var posterior = LastLayerLaplace.Fit(model, train, HessianKind.Diagonal, batchSize: 8);
        Assert.Equal("head", posterior.HeadName);
        using var features = posterior.Features(train, batchSize: 7);
        Assert.Equal(new long[] { 30, 8 }, features.shape);
        using var hidden = model.Hidden(train.Inputs).detach().to(ScalarType.Float64);
        // D = 7 read through C = 3 outputs: passes of 3, 3 and 1 rows of the identity
        Assert.True(features.narrow(1, 0, 7).allclose(hidden, rtol: 0, atol: 0));
        Assert.True(features.select(1, 7).eq(1).all().item<bool>());
        using var after = Predict.Logits(model, train);
        Assert.True(after.allclose(before, rtol: 0, atol: 0)); // the head's weights are restored
    }

    [Fact]
    public void BadInputIsRefusedNamingTheArgument()
    {
        using var model = ReferenceModel();
        using var train = ReferenceTrain();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LastLayerLaplace.Fit(model, train, HessianKind.Diagonal, priorPrecision: 0));
        Assert.Equal("priorPrecision", e.ParamName);
        Assert.Contains("got 0", e.Message);
        using var noLinear = nn.Sequential(nn.ReLU());
        Assert.Contains("no nn.Linear", Assert.Throws<ArgumentException>(() => LastLayerLaplace.Fit(noLinear, train, HessianKind.Diagonal)).Message);
        // logits that are not the head's output (a ReLU after it) are refused
        using var trailing = nn.Sequential(nn.Linear(3, 3, dtype: ScalarType.Float64), nn.ReLU(), nn.Linear(3, 3, dtype: ScalarType.Float64), nn.Tanh());
        var notHead = Assert.Throws<ArgumentException>(() => LastLayerLaplace.Fit(trailing, train, HessianKind.Kfac));
        Assert.Equal("model", notHead.ParamName);
        using var posterior = LastLayerLaplace.Fit(model, train, HessianKind.Diagonal);
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => posterior.ToEnsemble(LaplacePredictive.MonteCarlo, samples: 0)).ParamName);
        Assert.Equal("PriorPrecision", Assert.Throws<ArgumentOutOfRangeException>(() => posterior.PriorPrecision = double.NaN).ParamName);
        using var wrong = zeros(2, 7, dtype: ScalarType.Float64);
        Assert.Contains("[N, 4]", Assert.Throws<ArgumentException>(() => posterior.LogitMoments(wrong)).Message);
    }
}
