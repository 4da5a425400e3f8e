using System.Diagnostics;
using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// Cyclical stochastic-gradient Langevin dynamics, cSGLD (Zhang et al., ICLR 2020, "Cyclical Stochastic Gradient MCMC for
/// Bayesian Deep Learning", Algorithm 1). Over K iterations in M cycles, iteration k (1-based) takes the cosine step size
/// <code>α_k = α0/2 · [cos(π · mod(k − 1, ⌈K/M⌉) / ⌈K/M⌉) + 1]</code>
/// and, with the potential estimated on minibatch B_k of the N training rows,
/// <code>Ũ(θ) = N/|B_k| · Σ_{i∈B_k} −log p(y_i | x_i, θ) + λ/2 · ‖θ‖²   (= N · mean loss + prior term; U = −log p(θ | D) + const)</code>
/// updates the parameters by
/// <code>exploration (r_k &lt; β):  θ ← θ − α_k ∇Ũ(θ)
/// sampling    (r_k ≥ β):  θ ← θ − α_k ∇Ũ(θ) + √(2 α_k T) · ε,   ε ~ N(0, I)</code>
/// where r_k = mod(k − 1, ⌈K/M⌉) / ⌈K/M⌉ is the position in the cycle and T the temperature. Because Ũ is the summed
/// potential, the noise variance 2α_kT matches the step: for small α the chain's stationary density is ∝ exp(−U(θ)/T),
/// the posterior itself at T = 1. Samples are taken in each cycle's sampling stage (<see cref="SampleIterations"/>).
/// The batch order and the noise come from two generators seeded from <see cref="CyclicSgldOptions.Seed"/>, so a run
/// repeats exactly.
/// </summary>
public static class CyclicSgld
{
    /// <summary>
    /// α_k = α0/2 · [cos(π · mod(k − 1, ⌈K/M⌉) / ⌈K/M⌉) + 1] for iteration <paramref name="iteration"/> = k in 1..K of
    /// <paramref name="totalIterations"/> = K in <paramref name="cycles"/> = M cycles (the paper's equation 2).
    /// </summary>
    public static double StepSize(long iteration, long totalIterations, int cycles, double initialStepSize)
    {
        long length = CycleLength(totalIterations, cycles);
        if (iteration < 1 || iteration > totalIterations)
            throw new ArgumentOutOfRangeException(nameof(iteration), $"the iteration must be in 1..{totalIterations}; got {iteration}.");
        if (!(initialStepSize > 0) || double.IsInfinity(initialStepSize))
            throw new ArgumentOutOfRangeException(nameof(initialStepSize), $"the initial step size must be positive and finite; got {initialStepSize}.");
        return initialStepSize / 2 * (Math.Cos(Math.PI * ((iteration - 1) % length) / length) + 1);
    }

    /// <summary>True when iteration k (1-based) is in its cycle's sampling stage: r_k = mod(k − 1, ⌈K/M⌉) / ⌈K/M⌉ ≥ β.</summary>
    public static bool IsSamplingStep(long iteration, long totalIterations, int cycles, double explorationFraction)
    {
        long length = CycleLength(totalIterations, cycles);
        if (iteration < 1 || iteration > totalIterations)
            throw new ArgumentOutOfRangeException(nameof(iteration), $"the iteration must be in 1..{totalIterations}; got {iteration}.");
        return Position(iteration, length) >= explorationFraction;
    }

    /// <summary>
    /// The iterations (1-based, ascending) after whose update a sample is kept: per cycle, <paramref name="samplesPerCycle"/>
    /// of them spaced ⌊S / samplesPerCycle⌋ apart over the cycle's S sampling-stage iterations, the last at the cycle's
    /// last iteration.
    /// </summary>
    /// <exception cref="ArgumentException">A cycle's sampling stage has fewer iterations than <paramref name="samplesPerCycle"/>.</exception>
    public static IReadOnlyList<long> SampleIterations(long totalIterations, int cycles, double explorationFraction, int samplesPerCycle)
    {
        long length = CycleLength(totalIterations, cycles);
        if (!(explorationFraction >= 0 && explorationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(explorationFraction), $"the exploration fraction must be in [0, 1); got {explorationFraction}.");
        if (samplesPerCycle < 1) throw new ArgumentOutOfRangeException(nameof(samplesPerCycle), $"samples per cycle must be positive; got {samplesPerCycle}.");
        var iterations = new List<long>();
        for (long start = 0; start < totalIterations; start += length)
        {
            long end = Math.Min(start + length, totalIterations); // the cycle is iterations start + 1 .. end
            long sampling = 0;
            for (long k = end; k > start && Position(k, length) >= explorationFraction; k--) sampling++;
            if (sampling < samplesPerCycle)
                throw new ArgumentException($"a cycle of {end - start} iterations has {sampling} in its sampling stage (exploration fraction {explorationFraction}), "
                    + $"fewer than the {samplesPerCycle} samples per cycle asked for; lower the exploration fraction or the samples per cycle, or lengthen the cycles.",
                    nameof(samplesPerCycle));
            long spacing = sampling / samplesPerCycle;
            for (int s = samplesPerCycle - 1; s >= 0; s--) iterations.Add(end - s * spacing);
        }
        return iterations;
    }

    /// <summary>
    /// Runs cSGLD on <paramref name="model"/> (in place, from its current weights) over <paramref name="train"/> and
    /// returns the kept samples as an ensemble whose members are built with <paramref name="create"/> (the same
    /// architecture). The model ends at the chain's last iterate. Batches of the last part of an epoch may be smaller; Ũ
    /// scales each batch's mean loss by N all the same.
    /// </summary>
    public static CyclicSgldEnsemble Sample(nn.Module<Tensor, Tensor> model, Func<nn.Module<Tensor, Tensor>> create, TensorDataset train,
        CyclicSgldOptions options, CombinationRule rule = CombinationRule.MeanProbabilities)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchRuntime.EnsureInitialized();
        var device = train.Inputs.device;
        model.to(device);
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        if (parameters.Count == 0) throw new ArgumentException("the model has no trainable parameters.", nameof(model));

        var loader = new BatchLoader(train, options.BatchSize, shuffle: true);
        int steps = loader.BatchCount;
        int epochs = options.Cycles * options.EpochsPerCycle;
        long total = (long)epochs * steps;
        var keep = new HashSet<long>(SampleIterations(total, options.Cycles, options.ExplorationFraction, options.SamplesPerCycle));
        double n = train.Count, lambda = options.PriorPrecision, temperature = options.Temperature;

        var samples = new List<WeightSnapshot>();
        var history = new TrainingHistory(options.Label);
        try
        {
            // Separate streams, so that changing the batch size does not change the noise sequence's seed and vice versa.
            using var batchOrder = new Generator((ulong)SeedMix.Of(options.Seed, 0, 1));
            using var noise = new Generator((ulong)SeedMix.Of(options.Seed, 0, 2));
            using Scalar rows = n, prior = lambda;
            long k = 0;
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                var clock = Stopwatch.StartNew();
                manual_seed(SeedMix.Of(options.Seed, epoch, 3)); // dropout
                double epochRate = StepSize(k + 1, total, options.Cycles, options.InitialStepSize);
                model.train();
                using var lossSum = zeros(1, dtype: ScalarType.Float64, device: device);
                foreach (var batch in loader.Epoch(batchOrder))
                {
                    using var _ = batch;
                    k++;
                    double alpha = StepSize(k, total, options.Cycles, options.InitialStepSize);
                    bool sampling = temperature > 0 && IsSamplingStep(k, total, options.Cycles, options.ExplorationFraction);
                    using Scalar descent = -alpha, noiseScale = Math.Sqrt(2 * alpha * temperature);
                    using (var scope = NewDisposeScope())
                    {
                        model.zero_grad();
                        var loss = options.Loss(model.forward(batch.Inputs), batch);
                        loss.backward();
                        using (no_grad())
                        {
                            foreach (var p in parameters)
                            {
                                // ∇Ũ = N ∇(mean loss) + λθ; a parameter the loss does not reach has only the prior's gradient.
                                var gradient = p.grad is { } g ? g.mul(rows) : zeros_like(p);
                                if (lambda > 0) gradient.add_(p, alpha: prior);
                                p.add_(gradient, alpha: descent);
                                if (sampling)
                                    p.add_(SeededDraws.Normal(p.shape, p.dtype, p.device, noise), alpha: noiseScale);
                            }
                            lossSum.add_(loss.detach());
                        }
                    }
                    if (keep.Contains(k))
                        samples.Add(WeightSnapshot.Of(model, $"cSGLD sample {samples.Count + 1} (iteration {k})", epoch));
                }
                double meanLoss = lossSum.item<double>() / steps;
                if (double.IsNaN(meanLoss) || double.IsInfinity(meanLoss))
                    throw new ArithmeticException($"{options.Label}: the loss became {meanLoss} in epoch {epoch + 1}; lower the initial step size.");
                history.Add(new EpochRecord(epoch, meanLoss, epochRate, clock.Elapsed.TotalSeconds));
                options.Progress.Report(new ProgressUpdate(options.Label, epoch + 1, epochs,
                    $"epoch {epoch + 1}: loss {meanLoss:F4}, step {epochRate:G3}, {samples.Count} samples", epoch + 1 == epochs));
            }
            model.eval();
            return new CyclicSgldEnsemble(samples, create, options, history, rule);
        }
        catch
        {
            foreach (var s in samples) s.Dispose();
            throw;
        }
    }

    static long CycleLength(long totalIterations, int cycles)
    {
        if (cycles < 1) throw new ArgumentOutOfRangeException(nameof(cycles), $"cycles must be positive; got {cycles}.");
        if (totalIterations < cycles)
            throw new ArgumentOutOfRangeException(nameof(totalIterations), $"the total iterations must be at least the {cycles} cycles; got {totalIterations}.");
        return (totalIterations + cycles - 1) / cycles;
    }

    static double Position(long iteration, long length) => (double)((iteration - 1) % length) / length;
}
