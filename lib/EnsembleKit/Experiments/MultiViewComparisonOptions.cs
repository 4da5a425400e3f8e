using EnsembleKit.Distillation;
using EnsembleKit.Training;

namespace EnsembleKit.Experiments;

/// <summary>Settings of <see cref="MultiViewComparison.Run"/>: models per ensemble and sum, how every network trains, the
/// distillation loss, and the <see cref="Models.PatchNetwork"/> each method starts from.</summary>
public sealed record MultiViewComparisonOptions
{
    /// <summary>Members of the ensemble and of the jointly trained sum.</summary>
    public int Models { get; init; } = 5;

    /// <summary>How every network is trained (its label is replaced by the method's).</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>The loss of the two distilled students.</summary>
    public DistillationOptions Distillation { get; init; } = new();

    /// <summary><see cref="Models.PatchNetwork"/>'s neurons per class.</summary>
    public int NeuronsPerClass { get; init; } = 4;

    /// <summary><see cref="Models.PatchNetwork"/>'s ρ (the smoothed ReLU's threshold).</summary>
    public double Rho { get; init; } = 1.0;

    /// <exception cref="ArgumentOutOfRangeException">A count or ρ out of range.</exception>
    public void Validate()
    {
        if (Models < 1) throw new ArgumentOutOfRangeException(nameof(Models), $"need at least one model; got {Models}.");
        if (NeuronsPerClass < 1) throw new ArgumentOutOfRangeException(nameof(NeuronsPerClass), $"need at least one neuron per class; got {NeuronsPerClass}.");
        if (!(Rho > 0)) throw new ArgumentOutOfRangeException(nameof(Rho), $"rho must be positive; got {Rho}.");
        ArgumentNullException.ThrowIfNull(Training);
        ArgumentNullException.ThrowIfNull(Distillation);
        Training.Validate();
        Distillation.Validate();
    }
}
