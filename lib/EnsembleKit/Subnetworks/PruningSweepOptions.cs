using EnsembleKit.Training;

namespace EnsembleKit.Subnetworks;

/// <summary>The learning-rate regimes of seed 002's Table 6.1 for tuning a pruned child.</summary>
public enum TuningRates
{
    /// <summary>A constant rate of 0.01.</summary>
    Constant,
    /// <summary>A one-cycle schedule peaking at 0.1 (<see cref="CosineOneCycleSchedule"/>'s defaults).</summary>
    OneCycle,
}

/// <summary>
/// A sweep of seed 002's Table 6.1 (E2.6.1): every pruning method (one-shot, iterative, random annealing, temperature
/// annealing) at every sparsity, for each mask criterion and learning-rate regime, each setting repeated over seeds.
/// Defaults are the table's grid.
/// </summary>
public sealed record PruningSweepOptions
{
    public IReadOnlyList<double> Sparsities { get; init; } = [0.5, 0.7, 0.9, 0.95, 0.98];
    /// <summary>The ε values: epochs (or, with <see cref="PerStep"/>, epochs' worth of steps) of pruning or annealing.</summary>
    public IReadOnlyList<int> Epsilons { get; init; } = [5, 10, 15, 20];
    /// <summary>Initial temperatures τ₀ of temperature annealing.</summary>
    public IReadOnlyList<double> Temperatures { get; init; } = [0.2, 0.4, 0.6, 0.8, 1.0];
    /// <summary>Random annealing is swept only with <see cref="MaskCriterion.Random"/> (its masks are random by definition).</summary>
    public IReadOnlyList<MaskCriterion> Criteria { get; init; } = [MaskCriterion.Random, MaskCriterion.Magnitude];
    public IReadOnlyList<TuningRates> Rates { get; init; } = [TuningRates.Constant, TuningRates.OneCycle];
    /// <summary>Repeats of every setting (masks and batch order change with the seed).</summary>
    public int Seeds { get; init; } = 1;
    /// <summary>Anneal after every step instead of every epoch (short tuning runs need it).</summary>
    public bool PerStep { get; init; }
    /// <summary>How a child is tuned (epochs, optimiser, batch size); the rate and schedule come from <see cref="Rates"/>.</summary>
    public TrainingOptions Tuning { get; init; } = new()
    {
        Epochs = 20,
        LearningRate = 0.01,
        Momentum = 0.9,
        Nesterov = true,
        WeightDecay = 5e-4,
        BatchSize = 128,
        Schedule = new ConstantSchedule(),
    };

    /// <summary>The name the sweep's rows use for a regime: "constant" or "one-cycle".</summary>
    public static string Name(TuningRates rates) => rates == TuningRates.Constant ? "constant" : "one-cycle";

    public void Validate()
    {
        if (Sparsities.Count == 0 || Sparsities.Any(s => s is not (> 0 and < 1)))
            throw new ArgumentOutOfRangeException(nameof(Sparsities), $"sparsities must be in (0, 1); got [{string.Join(", ", Sparsities)}].");
        if (Epsilons.Count == 0 || Epsilons.Any(e => e < 1))
            throw new ArgumentOutOfRangeException(nameof(Epsilons), $"epsilons must be positive; got [{string.Join(", ", Epsilons)}].");
        if (Temperatures.Count == 0 || Temperatures.Any(t => t <= 0))
            throw new ArgumentOutOfRangeException(nameof(Temperatures), $"temperatures must be positive; got [{string.Join(", ", Temperatures)}].");
        if (Criteria.Count == 0) throw new ArgumentException("at least one mask criterion is needed.", nameof(Criteria));
        if (Rates.Count == 0) throw new ArgumentException("at least one learning-rate regime is needed.", nameof(Rates));
        if (Seeds < 1) throw new ArgumentOutOfRangeException(nameof(Seeds), $"seeds must be positive; got {Seeds}.");
        Tuning.Validate();
    }
}
