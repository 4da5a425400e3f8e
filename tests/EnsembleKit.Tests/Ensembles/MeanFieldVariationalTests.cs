using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Ensembles;

/// <summary>Mean-field Gaussian VI: the layer's KL and local reparameterisation, the ELBO optimum on Bayesian linear
/// regression, and the ensemble of weight draws through <see cref="IEnsemble"/>.</summary>
public sealed class MeanFieldVariationalTests(ITestOutputHelper output)
{
    /// <summary>softplus⁻¹(σ) = log(e^σ − 1) in double.</summary>
    static double Rho(double sigma) => Math.Log(Math.Exp(sigma) - 1);

    static void Set(MeanFieldLinear layer, double[] weightMu, double[] weightRho, double[] biasMu, double[] biasRho)
    {
        using var _ = no_grad();
        using var wm = tensor(weightMu, ScalarType.Float32).reshape(layer.OutputSize, layer.InputSize);
        using var wr = tensor(weightRho, ScalarType.Float32).reshape(layer.OutputSize, layer.InputSize);
        using var bm = tensor(biasMu, ScalarType.Float32);
        using var br = tensor(biasRho, ScalarType.Float32);
        layer.WeightMean.copy_(wm);
        layer.WeightRho.copy_(wr);
        layer.BiasMean.copy_(bm);
        layer.BiasRho.copy_(br);
    }

    /// <summary>
    /// KL(N(μ, σ²) ‖ N(0, s²)) = log(s/σ) + (σ² + μ²)/(2s²) − 1/2, by hand, prior s = 2:
    /// μ = 0, σ = 2 gives 0; μ = 2, σ = 2 gives 4/8 = 1/2; μ = 1, σ = 1 gives log 2 + 2/8 − 1/2 = log 2 − 1/4 = 0.443147;
    /// μ = −3, σ = 0.5 gives log 4 + (0.25 + 9)/8 − 1/2 = 1.386294 + 1.15625 − 0.5 = 2.042544. Sum (weights [1, 3], bias
    /// [1]) = 2.9856915. σ goes in through ρ = softplus⁻¹(σ) in float32, so the check is to 1e-5.
    /// </summary>
    [Fact]
    public void KlMatchesTheHandComputedValue()
    {
        using var layer = new MeanFieldLinear(3, 1, priorSigma: 2);
        Set(layer, [0, 2, 1], [Rho(2), Rho(2), Rho(1)], [-3], [Rho(0.5)]);
        using var kl = layer.Kl();
        Assert.Empty(kl.shape);
        double expected = 0 + 0.5 + (Math.Log(2) - 0.25) + (Math.Log(4) + 9.25 / 8 - 0.5);
        Assert.Equal(2.9856915, expected, 7);
        Assert.Equal(expected, kl.item<float>(), 5);
        // the network's KL is the sum over its layers
        using var mlp = new MeanFieldMlp([(3, 1), (1, 2)], priorSigma: 2);
        Set(mlp.Layers[0], [0, 2, 1], [Rho(2), Rho(2), Rho(1)], [-3], [Rho(0.5)]);
        Set(mlp.Layers[1], [0, 0], [Rho(2), Rho(2)], [0, 2], [Rho(2), Rho(2)]);
        using var total = mlp.Kl();
        Assert.Equal(expected + 0.5, total.item<float>(), 5);
        // and it carries gradients to μ and ρ: ∂KL/∂μ = μ/s² = −3/4 for the bias
        total.backward();
        Assert.Equal(-0.75, mlp.Layers[0].BiasMean.grad!.item<float>(), 5);
    }

    /// <summary>
    /// Local reparameterisation: given x, a training-mode pass draws a ~ N(x μᵀ + μ_b, x² σ²ᵀ + σ_b²). With x = (1, −2, 0.5),
    /// μ = ((0.3, −0.1, 2), (1, 1, 1)), σ = ((0.2, 0.1, 0.4), (0.05, 0.05, 0.05)), μ_b = (0.5, −1), σ_b = (0.1, 0.3), the
    /// means are 0.3 + 0.2 + 1 + 0.5 = 2.0 and 1 − 2 + 0.5 − 1 = −1.5, the variances 0.04 + 0.04 + 0.04 + 0.01 = 0.13 and
    /// 0.0025 + 0.01 + 0.000625 + 0.09 = 0.103125. Over 40,000 rows the sample mean's standard error is ≤ 0.0018 and the
    /// sample variance's relative standard error √(2/40000) = 0.7%: checked to 0.01 and 4%, over five standard errors.
    /// Eval mode is the mean network.
    /// </summary>
    [Fact]
    public void TrainingPassesDrawPreActivationsWithTheStatedMeanAndVariance()
    {
        using var layer = new MeanFieldLinear(3, 2);
        Set(layer, [0.3, -0.1, 2, 1, 1, 1], [Rho(0.2), Rho(0.1), Rho(0.4), Rho(0.05), Rho(0.05), Rho(0.05)], [0.5, -1], [Rho(0.1), Rho(0.3)]);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = tensor(new float[] { 1, -2, 0.5f }).reshape(1, 3).expand(40000, 3);
        manual_seed(7);
        layer.train();
        var a = layer.forward(x).to(ScalarType.Float64);
        var mean = a.mean([0L]).data<double>().ToArray();
        var variance = a.var(0).data<double>().ToArray();
        output.WriteLine($"mean {mean[0]:F4} {mean[1]:F4}, variance {variance[0]:F5} {variance[1]:F6}");
        Assert.Equal(2.0, mean[0], 0.01);
        Assert.Equal(-1.5, mean[1], 0.01);
        Assert.Equal(0.13, variance[0], 0.13 * 0.04);
        Assert.Equal(0.103125, variance[1], 0.103125 * 0.04);
        // rows are independent draws: two passes differ, and the seed repeats them
        manual_seed(7);
        Assert.True(layer.forward(x).allclose(a.to(ScalarType.Float32), rtol: 0, atol: 0));
        layer.eval();
        var deterministic = layer.forward(x.narrow(0, 0, 1)).data<float>().ToArray();
        Assert.Equal(2.0, deterministic[0], 5);
        Assert.Equal(-1.5, deterministic[1], 5);
    }

    /// <summary>
    /// Bayesian linear regression y = x̃ᵀw + e, e ~ N(0, s²) with s = 0.5 known, x̃ = (x, 1) (the layer's bias is the last
    /// weight), prior w ~ N(0, p² I), p = 1. The exact posterior is N(m, Λ⁻¹) with Λ = X̃ᵀX̃/s² + I/p² and m = Λ⁻¹X̃ᵀy/s², and
    /// the mean-field Gaussian maximising the ELBO (minimising KL(q ‖ posterior)) has mean m and variances 1/diag(Λ), both
    /// computed here in float64. Local reparameterisation samples a single linear layer's outputs exactly, so the layer's
    /// loss Σₙ (yₙ − aₙ)²/(2s²) + KL is an unbiased estimate of the negative ELBO (up to a constant); it is averaged over R = 32
    /// copies of the data per step, minimised with full-batch Adam (rate 0.03, cosine-annealed over 3,000 steps), and μ, σ²
    /// are averaged over the last 500 steps. The second feature is the first plus half-scale noise (correlation 0.89), so
    /// the exact marginal variances diag(Λ⁻¹) are about 5× the mean-field ones: the check tells the two apart.
    /// The remaining error is the optimiser's noise (stochastic gradients, averaged iterates). Tolerances: |μ − m| ≤ 0.05
    /// posterior standard deviations, |σ² − 1/Λᵢᵢ| ≤ 5% relative; measured over the four seeds (data, noise and
    /// initialisation): at most 0.008 standard deviations and 1.0%, so both tolerances leave a factor of 5 or more, while a
    /// fit of the exact marginals would miss by 400% on the correlated pair. About 1.5 s a seed on 2 cores.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void FitsTheMeanFieldOptimumOfBayesianLinearRegression(int seed)
    {
        const int n = 40, d = 3, copies = 32, steps = 3000, averaged = 500;
        const double noise = 0.5, prior = 1.0;
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)(11 + seed), CPU);
        var z = randn([n, d], ScalarType.Float64, generator: generator);
        var x = stack([z[.., 0], z[.., 0] + 0.5 * z[.., 1], z[.., 2]], 1);
        var wTrue = tensor(new[] { 1.0, -0.5, 0.25 });
        var y = x.matmul(wTrue) + 0.3 + noise * randn([n], ScalarType.Float64, generator: generator);

        var design = cat([x, ones(n, 1, ScalarType.Float64)], 1);
        var precision = design.t().matmul(design) / (noise * noise) + eye(d + 1, dtype: ScalarType.Float64) / (prior * prior);
        var exactMean = linalg.solve(precision, design.t().matmul(y) / (noise * noise)).data<double>().ToArray();
        var meanFieldVariance = (1 / precision.diagonal()).data<double>().ToArray();
        var marginalVariance = linalg.inv(precision).diagonal().data<double>().ToArray();

        manual_seed(seed);
        using var layer = new MeanFieldLinear(d, 1, priorSigma: prior);
        layer.train();
        using var optimizer = optim.Adam(layer.parameters(), 0.03);
        var xs = x.to(ScalarType.Float32).repeat(copies, 1);
        var ys = y.to(ScalarType.Float32).repeat(copies);
        var mu = new double[d + 1];
        var variance = new double[d + 1];
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            foreach (var group in optimizer.ParamGroups) group.LearningRate = 0.03 * 0.5 * (1 + Math.Cos(Math.PI * step / steps));
            optimizer.zero_grad();
            var a = layer.forward(xs).squeeze(1);
            var loss = (ys - a).square().sum() / (2 * noise * noise * copies) + layer.Kl();
            loss.backward();
            optimizer.step();
            if (step < steps - averaged) continue;
            using var _ = no_grad();
            var m = cat([layer.WeightMean.flatten(), layer.BiasMean]).to(ScalarType.Float64).data<double>().ToArray();
            var v = cat([layer.WeightSigma().flatten(), layer.BiasSigma()]).square().to(ScalarType.Float64).data<double>().ToArray();
            for (int i = 0; i <= d; i++)
            {
                mu[i] += m[i] / averaged;
                variance[i] += v[i] / averaged;
            }
        }
        for (int i = 0; i <= d; i++)
        {
            double sd = Math.Sqrt(meanFieldVariance[i]);
            output.WriteLine($"w{i}: μ {mu[i]:F5} vs m {exactMean[i]:F5} ({(mu[i] - exactMean[i]) / sd:+0.000;-0.000} sd); "
                + $"σ² {variance[i]:G5} vs 1/Λii {meanFieldVariance[i]:G5} ({variance[i] / meanFieldVariance[i] - 1:+0.0%;-0.0%}); exact marginal {marginalVariance[i]:G5}");
            Assert.True(Math.Abs(mu[i] - exactMean[i]) <= 0.05 * sd, $"w{i}: μ {mu[i]:R} vs {exactMean[i]:R}");
            Assert.True(Math.Abs(variance[i] / meanFieldVariance[i] - 1) <= 0.05, $"w{i}: σ² {variance[i]:R} vs {meanFieldVariance[i]:R}");
        }
        // the problem separates mean-field from exact marginals by far more than the tolerance
        Assert.True(marginalVariance[0] > 2 * meanFieldVariance[0] && marginalVariance[1] > 2 * meanFieldVariance[1]);
    }

    static Mlp Plain() => new([(784, 16), (16, 10)]);
    static MeanFieldMlp Variational() => new([(784, 16), (16, 10)]);
    static TrainingOptions Adam(int epochs) => new()
    {
        Epochs = epochs,
        BatchSize = 50,
        Optimizer = OptimizerKind.Adam,
        LearningRate = 1e-3,
        WeightDecay = 0,
        Progress = ProgressSinks.None,
    };

    [Fact]
    public void SamplesAreTheMembersThroughTheEnsembleInterfaceAndSurviveSaving()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 300);
        using var test = TestSupport.FashionMnistSubset(train: false, 50);
        manual_seed(0);
        using var posterior = Variational();
        var history = VariationalInference.Train(posterior, train, Adam(3));
        Assert.Equal(3, history.Epochs.Count);
        Assert.True(history.Epochs[^1].Loss < history.Epochs[0].Loss, "the negative ELBO per example went down");
        Assert.False(posterior.training);

        using var ensemble = new VariationalEnsemble(posterior, samples: 3, seed: 5);
        IEnsemble members = ensemble;
        Assert.Equal("VI (FFG)", members.Method);
        Assert.Equal(3, members.Count);
        Assert.Equal(CombinationRule.MeanProbabilities, members.Rule);
        Assert.Equal("5", members.Settings["seed"]);
        Assert.Equal("1", members.Settings["prior sigma"]);
        using var logits = members.MemberLogits(test);
        Assert.Equal([3L, 50, 10], logits.shape);
        // the same seed gives the same members; member s is the draw seeded seed + s, an ordinary network
        using var again = new VariationalEnsemble(posterior, samples: 3, seed: 5);
        using var repeated = again.MemberLogits(test);
        Assert.True(logits.allclose(repeated, rtol: 0, atol: 0));
        using (var third = posterior.Sample(7))
        using (var direct = Predict.Logits(third, test))
            Assert.True(logits[2].allclose(direct, rtol: 0, atol: 0));
        Assert.False(logits[0].allclose(logits[1]));
        using var other = new VariationalEnsemble(posterior, samples: 1, seed: 6);
        using var shifted = other.MemberLogits(test);
        Assert.True(shifted[0].allclose(logits[1], rtol: 0, atol: 0));
        // the mean network is the eval-mode pass of the posterior
        using (var meanModel = posterior.MeanModel())
        using (var viaMean = Predict.Logits(meanModel, test))
        using (var viaPosterior = Predict.Logits(posterior, test))
            Assert.True(viaMean.allclose(viaPosterior, rtol: 1e-5, atol: 1e-6));

        using var folder = new TempFolder();
        EnsembleFile.Save(ensemble, folder.File("vi.ensemble"));
        using var loaded = EnsembleFile.Load(folder.File("vi.ensemble"), Plain);
        Assert.Equal("VI (FFG)", loaded.Method);
        Assert.Equal(3, loaded.Count);
        using var reloaded = loaded.MemberLogits(test);
        Assert.True(reloaded.allclose(logits, rtol: 0, atol: 0));
    }

    [Fact]
    public void KlWarmUpChangesTrainingAndTheSameSeedRepeatsIt()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 200);
        TrainingHistory Run(int warmup)
        {
            manual_seed(1);
            using var model = Variational();
            return VariationalInference.Train(model, train, Adam(2), klWarmupEpochs: warmup);
        }
        var plain = Run(0);
        var warm = Run(2);
        var warmAgain = Run(2);
        Assert.Equal(warm.Epochs.Select(e => e.Loss), warmAgain.Epochs.Select(e => e.Loss));
        // β < 1 throughout a two-epoch warm-up: less KL in every step's loss
        Assert.True(warm.Epochs[0].Loss < plain.Epochs[0].Loss, $"{warm.Epochs[0].Loss} vs {plain.Epochs[0].Loss}");
    }

    [Fact]
    public void BadArgumentsAreRefusedNamingTheArgumentAndValue()
    {
        void Refused<T>(string name, string value, Action act) where T : ArgumentException
        {
            var e = Assert.Throws<T>(act);
            Assert.Equal(name, e.ParamName);
            Assert.Contains(value, e.Message);
        }
        Refused<ArgumentOutOfRangeException>("inputSize", "got 0", () => new MeanFieldLinear(0, 3));
        Refused<ArgumentOutOfRangeException>("outputSize", "got -2", () => new MeanFieldLinear(3, -2));
        Refused<ArgumentOutOfRangeException>("priorSigma", "got -1", () => new MeanFieldLinear(3, 2, priorSigma: -1));
        Refused<ArgumentOutOfRangeException>("priorSigma", "got 0", () => new MeanFieldLinear(3, 2, priorSigma: 0));
        Refused<ArgumentOutOfRangeException>("initialSigma", "got NaN", () => new MeanFieldLinear(3, 2, initialSigma: double.NaN));
        Refused<ArgumentException>("spec", "layer 1 takes 5 inputs but layer 0 gives 4", () => new MeanFieldMlp([(3, 4), (5, 2)]));
        using var layer = new MeanFieldLinear(3, 2);
        using (var wrong = zeros(4, 5)) Refused<ArgumentException>("input", "[4, 5]", () => layer.forward(wrong));
        using var model = Variational();
        Refused<ArgumentOutOfRangeException>("samples", "got 0", () => new VariationalEnsemble(model, 0));
        Refused<ArgumentOutOfRangeException>("rule", "7", () => new VariationalEnsemble(model, 2, rule: (CombinationRule)7));
        using var train = TestSupport.FashionMnistSubset(train: true, 10);
        Refused<ArgumentException>("options", "1E-05", () => VariationalInference.Train(model, train, Adam(1) with { WeightDecay = 1e-5 }));
        Refused<ArgumentOutOfRangeException>("klWarmupEpochs", "got -1", () => VariationalInference.Train(model, train, Adam(1), klWarmupEpochs: -1));
        Refused<ArgumentException>("klWarmupEpochs", "3 epochs", () => VariationalInference.Train(model, train, Adam(1) with { CheckpointPath = "x.ckpt" }, klWarmupEpochs: 3));
        using var plain = Plain();
        Refused<ArgumentException>("model", "no mean-field layers", () => VariationalInference.Train(plain, train, Adam(1)));
    }

    /// <summary>
    /// Training steps (stochastic pass, KL, backward, Adam), sampling weights and predicting with the ensemble keep no
    /// tensors alive. Building member modules is left out of the loop (TorchSharp 0.107 does not lower its count when a
    /// module's parameters are disposed; see <see cref="SwagTests"/>).
    /// </summary>
    [Fact]
    public void TrainingSamplingAndPredictingLeaveNoLiveTensors()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 100);
        using var test = TestSupport.FashionMnistSubset(train: false, 20);
        manual_seed(2);
        using var model = Variational();
        using var ensemble = new VariationalEnsemble(model, samples: 2, seed: 0);
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        void Work()
        {
            model.train();
            for (int step = 0; step < 5; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(train.Inputs), train.Targets) + model.Kl() / train.Count;
                loss.backward();
                optimizer.step();
            }
            using var generator = new Generator(3, CPU);
            foreach (var layer in model.Layers)
            {
                var (weight, bias) = layer.Sample(generator);
                weight.Dispose();
                bias.Dispose();
            }
            ensemble.MemberLogits(test).Dispose();
            foreach (var state in ensemble.MemberStates()) state.Dispose();
        }
        Work();
        long live = TestSupport.LiveTensorCount();
        Work();
        Work();
        Assert.Equal(live, TestSupport.LiveTensorCount());
    }
}
