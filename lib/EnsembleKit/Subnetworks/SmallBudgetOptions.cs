using EnsembleKit.Training;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// The small-budget comparison of seed 002 (Table 5.1, E2.5.8): every method spends the same number of epochs.
/// Defaults are the table's: a budget of 16 epochs, ensembles of 8, Adam at 0.001 for everything; SSE children at 50 %
/// unstructured sparsity tuned for one epoch each with a one-cycle schedule; bagging on 90 % bootstraps.
/// </summary>
public sealed record SmallBudgetOptions
{
    /// <summary>Epochs each method may spend (16 in Table 5.1); even, so that the SSE parent gets half.</summary>
    public int Budget { get; init; } = 16;
    /// <summary>Members of the deep ensemble and of bagging, and SSE children (8 in Table 5.1); even (NP pairs), and
    /// dividing <see cref="Budget"/>.</summary>
    public int Members { get; init; } = 8;
    /// <summary>Tuning epochs per SSE child (1 in Table 5.1).</summary>
    public int ChildEpochs { get; init; } = 1;
    /// <summary>Stochastic passes of the MC-dropout row (not in Table 5.1).</summary>
    public int McSamples { get; init; } = 8;
    /// <summary>Sparsity of the random (R) children; NP pairs are always mask and anti-mask (0.5 each).</summary>
    public double Sparsity { get; init; } = 0.5;
    /// <summary>Size of each bagging member's bootstrap sample, as a fraction of the training set (drawn with replacement).</summary>
    public double BaggingFraction { get; init; } = 0.9;
    /// <summary>How every model is trained; its epoch count, seed and label are set per method.</summary>
    public TrainingOptions Training { get; init; } = new()
    {
        Optimizer = OptimizerKind.Adam,
        LearningRate = 0.001,
        WeightDecay = 0,
        BatchSize = 128,
        Schedule = new ConstantSchedule(),
    };
    /// <summary>The children's tuning schedule, with <see cref="Training"/>'s optimiser and rate.</summary>
    public ILearningRateSchedule TuningSchedule { get; init; } = new CosineOneCycleSchedule(WarmupFraction: 0.1, InitialRate: 1e-5, MinimumRate: 1e-7);

    /// <summary>The SSE parent's epochs: half the budget.</summary>
    public int ParentEpochs => Budget / 2;
    /// <summary>Epochs of each deep-ensemble and bagging member: the budget shared out.</summary>
    public int MemberEpochs => Budget / Members;
    /// <summary>How the SSE children are tuned (before the per-child seed).</summary>
    public TrainingOptions Tuning => Training with { Epochs = ChildEpochs, Schedule = TuningSchedule };

    public void Validate()
    {
        if (Budget < 2 || Budget % 2 != 0) throw new ArgumentOutOfRangeException(nameof(Budget), $"the budget must be an even number of epochs, at least 2; got {Budget}.");
        if (Members < 2 || Members % 2 != 0) throw new ArgumentOutOfRangeException(nameof(Members), $"members must be even (NP children come in pairs) and at least 2; got {Members}.");
        if (Budget % Members != 0) throw new ArgumentException($"the budget ({Budget} epochs) must divide evenly among the {Members} members.", nameof(Members));
        if (ChildEpochs < 1) throw new ArgumentOutOfRangeException(nameof(ChildEpochs), $"child epochs must be positive; got {ChildEpochs}.");
        if (McSamples < 1) throw new ArgumentOutOfRangeException(nameof(McSamples), $"MC samples must be positive; got {McSamples}.");
        if (Sparsity is not (> 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(Sparsity), $"sparsity must be in (0, 1); got {Sparsity}.");
        if (BaggingFraction is not (> 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(BaggingFraction), $"the bagging fraction must be in (0, 1]; got {BaggingFraction}.");
        Training.Validate();
    }
}
