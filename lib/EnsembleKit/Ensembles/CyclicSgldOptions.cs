using EnsembleKit.Training;

namespace EnsembleKit.Ensembles;

/// <summary>
/// How <see cref="CyclicSgld"/> samples (Zhang et al. 2020, "Cyclical Stochastic Gradient MCMC for Bayesian Deep
/// Learning"). The run has K = <see cref="Cycles"/> · <see cref="EpochsPerCycle"/> · ⌈N / <see cref="BatchSize"/>⌉
/// iterations in M = <see cref="Cycles"/> cycles. The step size α acts on the potential Ũ, the minibatch estimate of the
/// summed negative log posterior, not on a mean loss: a learning rate η on the mean loss corresponds to α = η / N, and a
/// weight decay w on the mean loss to <see cref="PriorPrecision"/> λ = N · w (the authors' CIFAR code takes η0 = 0.5,
/// w = 5e-4 with N = 50,000, i.e. α0 = 1e-5, λ = 25).
/// </summary>
public sealed record CyclicSgldOptions
{
    /// <summary>M, the number of cycles (each restarts the step size at <see cref="InitialStepSize"/>).</summary>
    public int Cycles { get; init; } = 4;

    /// <summary>Epochs in one cycle; the cycle length in iterations is this times the batches per epoch.</summary>
    public int EpochsPerCycle { get; init; } = 50;

    /// <summary>α0, the step size at the start of each cycle, on the summed potential Ũ.</summary>
    public double InitialStepSize { get; init; } = 1e-5;

    /// <summary>
    /// β in [0, 1): the fraction of each cycle spent exploring (plain gradient steps on Ũ, no noise) before the sampling
    /// stage (Langevin steps with noise), by the position r = mod(k − 1, ⌈K/M⌉) / ⌈K/M⌉ of iteration k in its cycle:
    /// r &lt; β explores, r ≥ β samples. 0 gives plain SGLD under the cyclical step size.
    /// </summary>
    public double ExplorationFraction { get; init; } = 0.94;

    /// <summary>
    /// Samples kept per cycle, evenly spaced over the cycle's sampling stage and ending at its last iteration
    /// (see <see cref="CyclicSgld.SampleIterations"/>); with a sampling stage of whole epochs and one sample per epoch they
    /// are the ends of its last epochs.
    /// </summary>
    public int SamplesPerCycle { get; init; } = 3;

    /// <summary>T, the posterior temperature: the chain targets p(θ | D)^(1/T). 1 is the Bayesian posterior, T &lt; 1 a cold
    /// one, 0 no noise at all (cyclical SGD).</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>λ, the precision of the Gaussian prior N(0, λ⁻¹ I) over every trainable parameter: Ũ gets λ/2 ‖θ‖².</summary>
    public double PriorPrecision { get; init; } = 1.0;

    public int BatchSize { get; init; } = 128;

    /// <summary>
    /// The per-example negative log-likelihood averaged over the batch, from the model's output <c>[B, C]</c> and the batch
    /// (cross-entropy by default; a regression loss can read per-row targets through <see cref="Data.Batch.Indices"/>).
    /// Ũ multiplies it by N, so it must be a mean, not a sum, and must hold every constant factor of the likelihood
    /// (e.g. 1/(2σ²) for a Gaussian).
    /// </summary>
    public LossFunction Loss { get; init; } = Losses.CrossEntropy;

    /// <summary>Seeds the batch order, the Langevin noise (each from its own generator) and dropout.</summary>
    public long Seed { get; init; }

    /// <summary>Label for progress output.</summary>
    public string Label { get; init; } = "cSGLD";

    /// <summary>Where progress goes, one update per epoch; <see cref="ProgressSinks.None"/> to be silent.</summary>
    public IProgressSink Progress { get; init; } = ProgressSinks.Console;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range and its value.</summary>
    public void Validate()
    {
        if (Cycles < 1) throw new ArgumentOutOfRangeException(nameof(Cycles), $"cycles must be positive; got {Cycles}.");
        if (EpochsPerCycle < 1) throw new ArgumentOutOfRangeException(nameof(EpochsPerCycle), $"epochs per cycle must be positive; got {EpochsPerCycle}.");
        if (!(InitialStepSize > 0) || double.IsInfinity(InitialStepSize))
            throw new ArgumentOutOfRangeException(nameof(InitialStepSize), $"the initial step size must be positive and finite; got {InitialStepSize}.");
        if (!(ExplorationFraction >= 0 && ExplorationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ExplorationFraction), $"the exploration fraction must be in [0, 1); got {ExplorationFraction}.");
        if (SamplesPerCycle < 1) throw new ArgumentOutOfRangeException(nameof(SamplesPerCycle), $"samples per cycle must be positive; got {SamplesPerCycle}.");
        if (!(Temperature >= 0) || double.IsInfinity(Temperature))
            throw new ArgumentOutOfRangeException(nameof(Temperature), $"the temperature must be finite and non-negative; got {Temperature}.");
        if (!(PriorPrecision >= 0) || double.IsInfinity(PriorPrecision))
            throw new ArgumentOutOfRangeException(nameof(PriorPrecision), $"the prior precision must be finite and non-negative; got {PriorPrecision}.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), $"batch size must be positive; got {BatchSize}.");
        ArgumentNullException.ThrowIfNull(Loss);
        ArgumentNullException.ThrowIfNull(Progress);
    }
}
