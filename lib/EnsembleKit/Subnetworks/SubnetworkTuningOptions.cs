namespace EnsembleKit.Subnetworks;

/// <summary>
/// Pruning method and annealing settings for tuning a child. Defaults: one-shot pruning. Seed 002's benchmark (Table 6.2)
/// uses temperature annealing with τ₀ = 0.5, cosine to 0 over 3 epochs; its ablations find ε = 5 or 10 and τ₀ in 0.4–0.6 best.
/// </summary>
public sealed record SubnetworkTuningOptions
{
    public PruningMethod Method { get; init; } = PruningMethod.OneShot;
    /// <summary>ε: pruning epochs (iterative) or annealing epochs (annealing methods); unused for one-shot.</summary>
    public int Epochs { get; init; } = 3;
    /// <summary>τ₀ for temperature annealing.</summary>
    public double InitialTemperature { get; init; } = 0.5;
    /// <summary>Annealing function; by default linear for random annealing and cosine for temperature annealing, as in seed 002.</summary>
    public AnnealingShape? Shape { get; init; }
    /// <summary>Temperature annealing's general form (target entries lowered by τ too) instead of the non-target-only variant.</summary>
    public bool SymmetricTemperature { get; init; }
    /// <summary>Anneal after every step (fractional epochs) instead of once per epoch.</summary>
    public bool PerStep { get; init; }

    /// <summary>The two stochastic-annealing settings of seed 002's benchmark (Table 6.2).</summary>
    public static SubnetworkTuningOptions TemperatureBenchmark => new() { Method = PruningMethod.TemperatureAnnealing, Epochs = 3, InitialTemperature = 0.5 };

    public AnnealingSchedule Schedule => new(Method is PruningMethod.OneShot ? 0 : Epochs,
        Shape ?? (Method == PruningMethod.RandomAnnealing ? AnnealingShape.Linear : AnnealingShape.Cosine), PerStep: PerStep);

    public void Validate()
    {
        if (Method != PruningMethod.OneShot && Epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(Epochs), $"{Method} needs at least one pruning/annealing epoch; got {Epochs}.");
        if (!(InitialTemperature >= 0 && InitialTemperature <= 1))
            throw new ArgumentOutOfRangeException(nameof(InitialTemperature), $"the initial temperature is a probability in [0, 1]; got {InitialTemperature}.");
    }
}
