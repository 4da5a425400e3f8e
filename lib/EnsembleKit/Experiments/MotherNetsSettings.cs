using EnsembleKit.Data;
using EnsembleKit.Training;

namespace EnsembleKit.Experiments;

/// <summary>
/// Notebook 13's sizes by scale (seed 002 §5.3, E2.5.5, SSE vs MotherNets), written once: one-hidden-layer MLPs on
/// Fashion-MNIST, a mother of <see cref="MotherWidth"/> hidden units hatched to <see cref="ChildWidth"/>, an SSE parent of
/// <see cref="ParentWidth"/> pruned to <see cref="ChildWidth"/>, every network trained with <see cref="Training"/>
/// (SGD 0.01, momentum 0.9, no weight decay, constant rate, batch 128, no progress output). Made by <see cref="For"/>.
/// </summary>
public sealed record MotherNetsSettings
{
    /// <summary>The scale the settings are for.</summary>
    public required Scale Scale { get; init; }

    /// <summary>Epochs of the mother, the parent and every child.</summary>
    public required int Epochs { get; init; }

    /// <summary>Children per method.</summary>
    public required int ChildrenPerMethod { get; init; }

    /// <summary>The mother's hidden units (16).</summary>
    public int MotherWidth { get; init; } = 16;

    /// <summary>Every child's hidden units (32).</summary>
    public int ChildWidth { get; init; } = 32;

    /// <summary>The SSE parent's hidden units (64).</summary>
    public int ParentWidth { get; init; } = 64;

    /// <summary>The recipe every network trains with, <see cref="Epochs"/> epochs.</summary>
    public TrainingOptions Training => new()
    {
        Epochs = Epochs,
        BatchSize = 128,
        LearningRate = 0.01,
        Momentum = 0.9,
        WeightDecay = 0,
        Schedule = new ConstantSchedule(),
        Progress = ProgressSinks.None,
    };

    /// <summary>Notebook 13's settings at <paramref name="scale"/>: 2 epochs and 2 children at <c>smoke</c>, 10 and 4 at <c>cpu</c>, 10 and 8 at <c>full</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="scale"/> is <c>default(Scale)</c>, which names no scale.</exception>
    public static MotherNetsSettings For(Scale scale)
    {
        if (scale.Name is null) throw new ArgumentException("the scale has no name; make it with Scale.Parse.", nameof(scale));
        return new MotherNetsSettings { Scale = scale, Epochs = scale.Pick(smoke: 2, cpu: 10, full: 10), ChildrenPerMethod = scale.Pick(smoke: 2, cpu: 4, full: 8) };
    }

    /// <summary>
    /// Fashion-MNIST's training and test splits: whole, or at <c>smoke</c> their first 2,000 images each ("Fashion-MNIST
    /// train, first 2,000", "Fashion-MNIST test, first 2,000").
    /// </summary>
    public (TensorDataset Train, TensorDataset Test) LoadData()
    {
        var train = FashionMnist.Load(train: true);
        var test = FashionMnist.Load(train: false);
        if (!Scale.IsSmoke) return (train, test);
        using (train)
        using (test)
            return (train.Take(2_000, "Fashion-MNIST train, first 2,000"), test.Take(2_000, "Fashion-MNIST test, first 2,000"));
    }

    /// <summary>One line, e.g. "scale cpu: 60,000 training images, 10 epochs for parents and children, 4 children per method".</summary>
    public string Summary(TensorDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return $"scale {Scale}: {train.Count:N0} training images, {Epochs} epochs for parents and children, {ChildrenPerMethod} children per method";
    }
}
