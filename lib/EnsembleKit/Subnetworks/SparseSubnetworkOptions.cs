using EnsembleKit.Training;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// Sparse Subnetwork Ensembles ("prune and tune", seed 002 ch. 5, Algorithm 2) and, with an annealing
/// <see cref="Method"/>, Stochastic Subnetwork Ensembles (ch. 6, Algorithm 3). Each child copies the parent, gets a
/// subnetwork mask (random R with <see cref="Mask"/>'s sparsity, or Neural Partitioning NP: groups of
/// <see cref="Partitions"/> disjoint masks, each of sparsity <c>1 − 1/k</c>), and is tuned with <see cref="Tuning"/> while its
/// removed weights stay frozen at zero.
/// </summary>
public sealed record SparseSubnetworkOptions
{
    /// <summary>Ensemble size N (a multiple of <see cref="Partitions"/> for NP).</summary>
    public int Children { get; init; } = 6;
    public SubnetworkSampling Sampling { get; init; } = SubnetworkSampling.Random;
    /// <summary>k for Neural Partitioning (2 = mask and anti-mask).</summary>
    public int Partitions { get; init; } = 2;
    /// <summary>Structure, tensors and (for R) sparsity of the masks; the criterion must be random.</summary>
    public MaskOptions Mask { get; init; } = new();
    /// <summary>
    /// Child tuning. Default: seed 002's large-budget tuning, SGD (Nesterov, momentum 0.9, weight decay 5e-4, batch 128),
    /// 10 epochs, one-cycle 0.001 → 0.1 at 10 % → 1e-7 (<see cref="CosineOneCycleSchedule"/>). Child i uses seed
    /// <c>Tuning.Seed + i</c>.
    /// </summary>
    public TrainingOptions Tuning { get; init; } = new()
    {
        Epochs = 10,
        LearningRate = 0.1,
        Momentum = 0.9,
        Nesterov = true,
        WeightDecay = 5e-4,
        BatchSize = 128,
        Schedule = new CosineOneCycleSchedule(),
    };
    /// <summary>One-shot pruning (Algorithm 2) by default; an annealing method gives Algorithm 3.</summary>
    public SubnetworkTuningOptions Method { get; init; } = new();
    /// <summary>Seeds masks and Bernoulli draws.</summary>
    public long Seed { get; init; }

    public void Validate()
    {
        if (Children < 1) throw new ArgumentOutOfRangeException(nameof(Children), $"child count must be positive; got {Children}.");
        if (Sampling == SubnetworkSampling.NeuralPartitioning)
        {
            if (Partitions < 2) throw new ArgumentOutOfRangeException(nameof(Partitions), $"Neural Partitioning needs at least 2 parts; got {Partitions}.");
            if (Children % Partitions != 0)
                throw new ArgumentException($"Neural Partitioning makes children in groups of {Partitions}; {Children} children is not a multiple.", nameof(Children));
        }
        Mask.Validate();
        if (Mask.Criterion != MaskCriterion.Random)
            throw new ArgumentException("ensemble children need random masks: a magnitude criterion gives every child the same subnetwork.", nameof(Mask));
        Method.Validate();
        Tuning.Validate();
    }
}
