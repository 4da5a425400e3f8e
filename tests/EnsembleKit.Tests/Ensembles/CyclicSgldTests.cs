using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Ensembles;

public class CyclicSgldTests(ITestOutputHelper output)
{
    /// <summary>
    /// K = 10 iterations in M = 2 cycles: ⌈K/M⌉ = 5, so α_k/α0 = (cos(π·mod(k − 1, 5)/5) + 1)/2 with cos(π/5) = (1 + √5)/4 and
    /// cos(2π/5) = (√5 − 1)/4: 1, (5 + √5)/8, (3 + √5)/8, (5 − √5)/8, (3 − √5)/8, then again from 1. K = 7, M = 2:
    /// ⌈7/2⌉ = 4, α_k/α0 = 1, (2 + √2)/4, 1/2, (2 − √2)/4, and the short second cycle 1, (2 + √2)/4, 1/2.
    /// </summary>
    [Fact]
    public void StepSizeStagesAndSamplePointsMatchTheHandWorkedCycles()
    {
        double r5 = Math.Sqrt(5), r2 = Math.Sqrt(2);
        double[] ten = [1, (5 + r5) / 8, (3 + r5) / 8, (5 - r5) / 8, (3 - r5) / 8];
        for (int k = 1; k <= 10; k++)
            Assert.Equal(0.5 * ten[(k - 1) % 5], CyclicSgld.StepSize(k, 10, 2, 0.5), 15);
        double[] seven = [1, (2 + r2) / 4, 0.5, (2 - r2) / 4, 1, (2 + r2) / 4, 0.5];
        for (int k = 1; k <= 7; k++)
            Assert.Equal(seven[k - 1], CyclicSgld.StepSize(k, 7, 2, 1.0), 15);
        // one cycle: the plain cosine from α0 down towards 0 (never reaching it)
        Assert.Equal((Math.Cos(Math.PI * 99 / 100) + 1) / 2, CyclicSgld.StepSize(100, 100, 1, 2e-5) / 2e-5, 15);

        // β = 0.6 with cycles of 5: positions 0, 0.2, 0.4 explore, 0.6 and 0.8 sample
        bool[] stages = Enumerable.Range(1, 10).Select(k => CyclicSgld.IsSamplingStep(k, 10, 2, 0.6)).ToArray();
        Assert.Equal([false, false, false, true, true, false, false, false, true, true], stages);
        Assert.Equal([4L, 5, 9, 10], CyclicSgld.SampleIterations(10, 2, 0.6, 2));
        Assert.Equal([5L, 10], CyclicSgld.SampleIterations(10, 2, 0.6, 1));
        // β = 0: all 10 iterations of a cycle sample; 3 samples ⌊10/3⌋ = 3 apart, the last at the cycle's end
        Assert.Equal([4L, 7, 10, 14, 17, 20], CyclicSgld.SampleIterations(20, 2, 0.0, 3));

        var tooMany = Assert.Throws<ArgumentException>(() => CyclicSgld.SampleIterations(10, 2, 0.6, 3));
        Assert.Equal("samplesPerCycle", tooMany.ParamName);
        Assert.Contains("has 2 in its sampling stage", tooMany.Message);
        var iteration = Assert.Throws<ArgumentOutOfRangeException>(() => CyclicSgld.StepSize(11, 10, 2, 0.5));
        Assert.Equal("iteration", iteration.ParamName);
        Assert.Contains("got 11", iteration.Message);
        Assert.Equal("cycles", Assert.Throws<ArgumentOutOfRangeException>(() => CyclicSgld.StepSize(1, 10, 0, 0.5)).ParamName);
        Assert.Equal("totalIterations", Assert.Throws<ArgumentOutOfRangeException>(() => CyclicSgld.StepSize(1, 1, 2, 0.5)).ParamName);
        Assert.Equal("initialStepSize", Assert.Throws<ArgumentOutOfRangeException>(() => CyclicSgld.StepSize(1, 10, 2, double.NaN)).ParamName);
        Assert.Equal("explorationFraction", Assert.Throws<ArgumentOutOfRangeException>(() => CyclicSgld.SampleIterations(10, 2, 1.0, 1)).ParamName);
    }

    const int Rows = 64;

    /// <summary>
    /// Bayesian linear regression y = w₁x₁ + w₂x₂ + b + noise, noise N(0, 1) (σ = 1 known), prior N(0, λ⁻¹ I) over
    /// θ = (w₁, w₂, b) with λ = 1; x₂ = 0.6 x₁ + 0.8 z so that the posterior is correlated. The posterior is exactly
    /// N(A⁻¹Φᵀy, A⁻¹) with A = ΦᵀΦ + λI, Φ = [x₁, x₂, 1] (computed here in float64).
    /// </summary>
    static (double[,] Phi, double[] Y, TensorDataset Data, Tensor Targets) Regression()
    {
        using var generator = new Generator(11, CPU);
        using var scope = NewDisposeScope();
        var x1 = randn([Rows], generator: generator);
        var z = randn([Rows], generator: generator);
        var inputs = stack([x1, 0.6f * x1 + 0.8f * z], 1); // [N, 2]
        var y = inputs.matmul(tensor(new float[] { 0.8f, -0.5f })) + 0.3f + randn([Rows], generator: generator); // [N]
        var x = inputs.to(ScalarType.Float64).data<double>().ToArray();
        var phi = new double[Rows, 3];
        for (int i = 0; i < Rows; i++) (phi[i, 0], phi[i, 1], phi[i, 2]) = (x[2 * i], x[2 * i + 1], 1);
        var data = new TensorDataset(inputs, zeros([Rows], dtype: ScalarType.Int64), 1, "linear regression");
        return (phi, y.to(ScalarType.Float64).data<double>().ToArray(), data, y.DetachFromDisposeScope());
    }

    static double[,] Inverse3(double[,] a)
    {
        double det = a[0, 0] * (a[1, 1] * a[2, 2] - a[1, 2] * a[2, 1]) - a[0, 1] * (a[1, 0] * a[2, 2] - a[1, 2] * a[2, 0])
            + a[0, 2] * (a[1, 0] * a[2, 1] - a[1, 1] * a[2, 0]);
        var inv = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                // cofactor of (j, i) over the determinant
                int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
                inv[i, j] = (a[r0, c0] * a[r1, c1] - a[r0, c1] * a[r1, c0]) / det;
            }
        return inv;
    }

    static double[,] Multiply(double[,] a, double[,] b)
    {
        var c = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++) c[i, j] += a[i, k] * b[k, j];
        return c;
    }

    /// <summary>
    /// The cSGLD chain on the regression posterior, sampled once per cycle at the cycle's end, against the exact posterior.
    /// Full batch, so ∇Ũ(θ) = Aθ − Φᵀy exactly and the chain is the linear Gaussian recursion θ ← (I − α_kA)θ + α_kΦᵀy (+
    /// √(2α_k)ε when sampling); its mean and covariance are propagated here in float64 through the same schedule. That
    /// gives, without any sampling error, (a) the mean of the samples, which equals the posterior mean exactly (μ is a fixed
    /// point of every step), (b) their covariance, which differs from A⁻¹ only by the discretisation error of the finite
    /// steps at the end of the cycle, and (c) the cycle's propagator Π_k(I − α_kA), whose size bounds the correlation of
    /// consecutive samples. The measured samples must then agree with (a) and (b) within 4 standard errors of n
    /// independent draws (SE of a mean √(Σ_ii/n), of a variance Σ_ii √(2/(n − 1)), of a correlation (1 − ρ²)/√n).
    /// </summary>
    [Fact]
    public void SamplesOfABayesianLinearRegressionMatchTheExactPosterior()
    {
        var (phi, y, data, targets) = Regression();
        using var _data = data;
        using var _targets = targets;
        const double lambda = 1, alpha0 = 0.01, beta = 0.25;
        const int cycles = 1000, length = 40;
        var a = new double[3, 3];
        var b = new double[3];
        for (int n = 0; n < Rows; n++)
            for (int i = 0; i < 3; i++)
            {
                b[i] += phi[n, i] * y[n];
                for (int j = 0; j < 3; j++) a[i, j] += phi[n, i] * phi[n, j];
            }
        for (int i = 0; i < 3; i++) a[i, i] += lambda;
        var sigma = Inverse3(a);
        var mu = Enumerable.Range(0, 3).Select(i => Enumerable.Range(0, 3).Sum(j => sigma[i, j] * b[j])).ToArray();

        // The chain's own covariance at a cycle's end after many cycles, and the propagator of one cycle.
        var cov = new double[3, 3];
        var propagator = new double[3, 3];
        for (int repeat = 0; repeat < 20; repeat++)
        {
            propagator = new double[3, 3] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
            for (int k = 1; k <= length; k++)
            {
                double alpha = CyclicSgld.StepSize(k, length, 1, alpha0);
                var step = new double[3, 3];
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++) step[i, j] = (i == j ? 1 : 0) - alpha * a[i, j];
                var stepT = new double[3, 3];
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++) stepT[i, j] = step[j, i];
                cov = Multiply(Multiply(step, cov), stepT);
                if (CyclicSgld.IsSamplingStep(k, length, 1, beta))
                    for (int i = 0; i < 3; i++) cov[i, i] += 2 * alpha;
                propagator = Multiply(step, propagator);
            }
        }
        double propagatorSize = Math.Sqrt(Enumerable.Range(0, 9).Sum(i => propagator[i / 3, i % 3] * propagator[i / 3, i % 3]));

        manual_seed(0);
        using var model = nn.Linear(2, 1);
        var options = new CyclicSgldOptions
        {
            Cycles = cycles,
            EpochsPerCycle = length,
            BatchSize = Rows,
            InitialStepSize = alpha0,
            ExplorationFraction = beta,
            SamplesPerCycle = 1,
            PriorPrecision = lambda,
            Temperature = 1,
            Seed = 0,
            Progress = ProgressSinks.None,
            // Gaussian negative log-likelihood with σ = 1, the batch mean: ½ (y_i − ŷ_i)²
            Loss = (prediction, batch) => (prediction.squeeze(1) - targets.index_select(0, batch.Indices)).square().mean() / 2,
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var ensemble = CyclicSgld.Sample(model, () => nn.Linear(2, 1), data, options);
        output.WriteLine($"{cycles * length} iterations in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(cycles, ensemble.Count);
        // The first sample still carries 1/‖propagator‖ of the initialisation: dropped as burn-in.
        var samples = ensemble.Samples.Skip(1).Select(s =>
        {
            var w = s.State["weight"].to(ScalarType.Float64).data<double>().ToArray();
            return new[] { w[0], w[1], s.State["bias"].to(ScalarType.Float64).item<double>() };
        }).ToArray();
        int count = samples.Length;
        var mean = Enumerable.Range(0, 3).Select(i => samples.Average(s => s[i])).ToArray();
        var variance = Enumerable.Range(0, 3).Select(i => samples.Sum(s => (s[i] - mean[i]) * (s[i] - mean[i])) / (count - 1)).ToArray();
        double covariance01 = samples.Sum(s => (s[0] - mean[0]) * (s[1] - mean[1])) / (count - 1);
        double correlation = covariance01 / Math.Sqrt(variance[0] * variance[1]);
        double exactCorrelation = sigma[0, 1] / Math.Sqrt(sigma[0, 0] * sigma[1, 1]);

        output.WriteLine($"one cycle's propagator ‖Π(I − αA)‖_F = {propagatorSize:G3}");
        for (int i = 0; i < 3; i++)
            output.WriteLine($"θ{i}: mean {mean[i]:F4} (exact {mu[i]:F4}, SE {Math.Sqrt(sigma[i, i] / count):F4}); variance {variance[i]:F5} "
                + $"(exact posterior {sigma[i, i]:F5}, the chain's own {cov[i, i]:F5}: ratio {cov[i, i] / sigma[i, i]:F4}; measured/exact {variance[i] / sigma[i, i]:F4})");
        output.WriteLine($"correlation θ0, θ1: {correlation:F4} (exact {exactCorrelation:F4})");

        // consecutive samples are as good as independent, and the chain's discretisation error is a few percent
        Assert.True(propagatorSize < 0.05, $"propagator {propagatorSize}");
        double varianceTolerance = 4 * Math.Sqrt(2.0 / (count - 1));
        for (int i = 0; i < 3; i++)
        {
            double bias = cov[i, i] / sigma[i, i] - 1;
            Assert.InRange(bias, 0, 0.1);
            Assert.True(Math.Abs(mean[i] - mu[i]) <= 4 * Math.Sqrt(cov[i, i] / count), $"θ{i} mean {mean[i]} vs {mu[i]}");
            Assert.True(Math.Abs(variance[i] / cov[i, i] - 1) <= varianceTolerance, $"θ{i} variance {variance[i]} vs the chain's {cov[i, i]}");
            Assert.True(Math.Abs(variance[i] / sigma[i, i] - 1) <= varianceTolerance + bias, $"θ{i} variance {variance[i]} vs the posterior's {sigma[i, i]}");
        }
        Assert.True(Math.Abs(correlation - exactCorrelation) <= 4 * (1 - exactCorrelation * exactCorrelation) / Math.Sqrt(count),
            $"correlation {correlation} vs {exactCorrelation}");
    }

    static nn.Module<Tensor, Tensor> Classifier() => nn.Sequential(nn.Linear(4, 128), nn.ReLU(), nn.Linear(128, 3));

    static TensorDataset Blobs(long seed, int rows = 60)
    {
        using var generator = new Generator((ulong)seed, CPU);
        using var scope = NewDisposeScope();
        var targets = randint(0, 3, [rows], dtype: ScalarType.Int64, generator: generator);
        var inputs = randn([rows, 4], generator: generator) + targets.unsqueeze(1).to(ScalarType.Float32);
        return new TensorDataset(inputs, targets, 3, "blobs");
    }

    /// <summary>
    /// One iteration (one cycle of one full-batch epoch, β = 0) from θ0, the update written out: with T = 0 the sample is
    /// θ0 − α0 (N ∇mean CE + λθ0), the gradient taken here by autograd on a copy; with T = 2 the remainder
    /// after that drift is √(2α0T) ε, so over the 1,027 parameters its standard deviation estimates √(2α0T) within
    /// 4 · √(1/(2·1027)) = 8.8% (the SE of a standard deviation from n normal draws is σ/√(2n)); a noise √2 too small or
    /// large is 29% off. Then two minibatch steps,
    /// to pin the factor N of Ũ when the batch is smaller than the data.
    /// </summary>
    [Fact]
    public void StepsAreTheDriftOfTheSummedPotentialPlusLangevinNoise()
    {
        using var data = Blobs(1);
        const double alpha0 = 1e-3, lambda = 3;
        manual_seed(5);
        using var init = Classifier();
        using var start = WeightSnapshot.Of(init, "θ0");
        var options = new CyclicSgldOptions
        {
            Cycles = 1,
            EpochsPerCycle = 1,
            BatchSize = 60,
            InitialStepSize = alpha0,
            ExplorationFraction = 0,
            SamplesPerCycle = 1,
            PriorPrecision = lambda,
            Temperature = 0,
            Progress = ProgressSinks.None,
        };
        using var cold = CyclicSgld.Sample(init, Classifier, data, options);
        using var reference = start.ToModel(Classifier);
        reference.zero_grad();
        using (var loss = nn.functional.cross_entropy(reference.forward(data.Inputs), data.Targets)) loss.backward();
        double maxError = 0, noiseSquares = 0;
        int parameterCount = 0;
        foreach (var (name, p) in reference.named_parameters())
        {
            using var scope = NewDisposeScope();
            var expected = p.detach() - alpha0 * (60 * p.grad! + lambda * p.detach());
            maxError = Math.Max(maxError, (cold.Samples[0].State[name] - expected).abs().max().item<float>());
            parameterCount += (int)p.numel();
        }
        output.WriteLine($"T = 0: largest difference from the hand-written drift {maxError:G3}");
        Assert.True(maxError < 1e-6, $"drift differs by {maxError}");

        start.LoadInto(init);
        using var hot = CyclicSgld.Sample(init, Classifier, data, options with { Temperature = 2 });
        foreach (var (name, value) in cold.Samples[0].State)
        {
            using var scope = NewDisposeScope();
            noiseSquares += (hot.Samples[0].State[name] - value).square().sum().item<float>();
        }
        double noiseScale = Math.Sqrt(noiseSquares / parameterCount), expectedScale = Math.Sqrt(2 * alpha0 * 2);
        output.WriteLine($"T = 2: noise scale over {parameterCount} parameters {noiseScale:G4}, √(2α0T) = {expectedScale:G4}");
        Assert.Equal(1027, parameterCount);
        double noiseTolerance = 4 * Math.Sqrt(1.0 / (2 * parameterCount));
        Assert.InRange(noiseScale / expectedScale, 1 - noiseTolerance, 1 + noiseTolerance);

        // Minibatches: 60 copies of one row in batches of 30 (K = 2 iterations, α1 = α0, α2 = α0/2 (cos(π/2) + 1) = α0/2).
        // Every batch's mean loss is the one row's loss ℓ, so each step is θ ← θ − α_k (60 ∇ℓ + λθ): N, not the batch size.
        using var same = new TensorDataset(data.Inputs.narrow(0, 0, 1).expand(60, 4).contiguous(), data.Targets.narrow(0, 0, 1).expand(60).contiguous(), 3);
        start.LoadInto(init);
        using var halves = CyclicSgld.Sample(init, Classifier, same, options with { BatchSize = 30 });
        using var twice = start.ToModel(Classifier);
        foreach (double alpha in new[] { alpha0, alpha0 / 2 })
        {
            twice.zero_grad();
            using (var loss = nn.functional.cross_entropy(twice.forward(same.Inputs.narrow(0, 0, 1)), same.Targets.narrow(0, 0, 1))) loss.backward();
            using var _ = no_grad();
            foreach (var p in twice.parameters())
            {
                using var scope = NewDisposeScope();
                p.sub_(alpha * (60 * p.grad! + lambda * p));
            }
        }
        double minibatchError = twice.named_parameters().Max(p =>
        {
            using var scope = NewDisposeScope();
            return (halves.Samples[0].State[p.name] - p.parameter).abs().max().item<float>();
        });
        output.WriteLine($"T = 0, two batches of 30: largest difference from two hand-written steps {minibatchError:G3}");
        Assert.True(minibatchError < 1e-6, $"minibatch drift differs by {minibatchError}");
    }

    /// <summary>Two cycles of three epochs of three batches (L = 9), β = 0.5: iterations 6-9 of a cycle sample, and two
    /// samples per cycle ⌊4/2⌋ = 2 apart are taken after iterations 7, 9, 16, 18.</summary>
    static CyclicSgldOptions Small(long seed) => new()
    {
        Cycles = 2,
        EpochsPerCycle = 3,
        BatchSize = 20,
        InitialStepSize = 1e-3,
        ExplorationFraction = 0.5,
        SamplesPerCycle = 2,
        PriorPrecision = 1,
        Seed = seed,
        Progress = ProgressSinks.None,
    };

    [Fact]
    public void EnsembleRepeatsUnderItsSeedPredictsMembersAndSurvivesSaving()
    {
        using var train = Blobs(2);
        using var test = Blobs(3, rows: 25);
        manual_seed(7);
        using var first = Classifier();
        using var init = WeightSnapshot.Of(first, "init");
        using var ensemble = CyclicSgld.Sample(first, Classifier, train, Small(seed: 4));
        using var second = init.ToModel(Classifier);
        using var again = CyclicSgld.Sample(second, Classifier, train, Small(seed: 4));
        using var third = init.ToModel(Classifier);
        using var otherSeed = CyclicSgld.Sample(third, Classifier, train, Small(seed: 5));

        IEnsemble e = ensemble;
        Assert.Equal("cyclic SGLD", e.Method);
        Assert.Equal(4, e.Count);
        Assert.Equal(CombinationRule.MeanProbabilities, e.Rule);
        Assert.Equal(["iteration 7", "iteration 9", "iteration 16", "iteration 18"], ensemble.Samples.Select(s => s.Label[(s.Label.IndexOf("iteration", StringComparison.Ordinal))..].TrimEnd(')')));
        Assert.Equal([2, 2, 5, 5], ensemble.Samples.Select(s => s.Epoch));
        // the history records the step size at each epoch's first iteration: 1, 4, 7 of the first cycle, 10 restarts
        Assert.Equal(6, ensemble.History.Epochs.Count);
        Assert.Equal(1e-3, ensemble.History.Epochs[3].LearningRate, 15);
        Assert.Equal(CyclicSgld.StepSize(4, 18, 2, 1e-3), ensemble.History.Epochs[1].LearningRate, 15);
        Assert.Equal("4", e.Settings["seed"]);
        Assert.Equal("0.5", e.Settings["exploration fraction"]);
        Assert.Equal("Losses.CrossEntropy", e.Settings["loss"]);

        using var logits = e.MemberLogits(test);
        Assert.Equal([4L, 25, 3], logits.shape);
        using var repeated = again.MemberLogits(test);
        Assert.True(logits.allclose(repeated, rtol: 0, atol: 0));
        using var other = otherSeed.MemberLogits(test);
        Assert.False(logits.allclose(other));
        Assert.False(logits[0].allclose(logits[1])); // noise between the two samples of a cycle
        // the model is left at the chain's last iterate, which is the last sample
        using (var last = Predict.Logits(first, test)) Assert.True(last.allclose(logits[3], rtol: 0, atol: 0));

        using var folder = new TempFolder();
        string path = folder.File("csgld.ensemble");
        EnsembleFile.Save(ensemble, path);
        using var loaded = EnsembleFile.Load(path, Classifier);
        Assert.Equal("cyclic SGLD", loaded.Method);
        Assert.Equal(4, loaded.Count);
        using var reloaded = loaded.MemberLogits(test);
        Assert.True(reloaded.allclose(logits, rtol: 0, atol: 0));
    }

    [Fact]
    public void BadOptionsAreRefusedNamingTheSettingAndValue()
    {
        using var train = Blobs(2);
        using var model = Classifier();
        var good = Small(0);
        void Refused(CyclicSgldOptions options, string name, string value)
        {
            var e = Assert.ThrowsAny<ArgumentException>(() => CyclicSgld.Sample(model, Classifier, train, options).Dispose());
            Assert.Equal(name, e.ParamName);
            Assert.Contains(value, e.Message);
        }
        Refused(good with { Cycles = 0 }, "Cycles", "got 0");
        Refused(good with { EpochsPerCycle = -1 }, "EpochsPerCycle", "got -1");
        Refused(good with { InitialStepSize = 0 }, "InitialStepSize", "got 0");
        Refused(good with { InitialStepSize = double.PositiveInfinity }, "InitialStepSize", $"got {double.PositiveInfinity}");
        Refused(good with { ExplorationFraction = 1 }, "ExplorationFraction", "got 1");
        Refused(good with { ExplorationFraction = -0.1 }, "ExplorationFraction", "got -0.1");
        Refused(good with { SamplesPerCycle = 0 }, "SamplesPerCycle", "got 0");
        Refused(good with { Temperature = -1 }, "Temperature", "got -1");
        Refused(good with { Temperature = double.NaN }, "Temperature", "got NaN");
        Refused(good with { PriorPrecision = -2 }, "PriorPrecision", "got -2");
        Refused(good with { BatchSize = 0 }, "BatchSize", "got 0");
        // 9 iterations a cycle, β = 0.5: 4 sample; 5 samples cannot fit
        Refused(good with { SamplesPerCycle = 5 }, "samplesPerCycle", "has 4 in its sampling stage");
        Assert.Equal("create", Assert.Throws<ArgumentNullException>(() => CyclicSgld.Sample(model, null!, train, good)).ParamName);
    }

    /// <summary>
    /// A whole chain (18 steps, 4 samples kept) and handing out and disposing its states leave no tensors alive. Building
    /// models is kept out of the measured window (TorchSharp 0.107 counts a disposed module's parameters as live; see
    /// SwagTests), so predictions, which build one model from the factory, are not measured here.
    /// </summary>
    [Fact]
    public void SamplingLeavesNoLiveTensors()
    {
        using var train = Blobs(2);
        using var model = Classifier();
        void Work()
        {
            using var ensemble = CyclicSgld.Sample(model, Classifier, train, Small(1));
            foreach (var s in ensemble.MemberStates()) s.Dispose();
        }
        Work();
        long live = TestSupport.LiveTensorCount();
        Work();
        Work();
        Assert.Equal(live, TestSupport.LiveTensorCount());
    }
}
