using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>Which optimiser the <see cref="Trainer"/> builds.</summary>
public enum OptimizerKind { Sgd, Adam }

/// <summary>
/// How to train one model. Defaults are seed 000's recipe: SGD, lr 0.1, momentum 0.9, weight decay
/// 1e-5, cosine annealing over 20 epochs, cross-entropy. The seed does not state the batch size; 128 here
/// (with 64 the members land at 87.9-88.2% instead of 89.3-89.6%, measured with seed 0).
/// </summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 20;
    public int BatchSize { get; init; } = 128;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    public double LearningRate { get; init; } = 0.1;
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 1e-5;
    public bool Nesterov { get; init; }
    public ILearningRateSchedule Schedule { get; init; } = new CosineAnnealingSchedule();
    public LossFunction Loss { get; init; } = Losses.CrossEntropy;
    /// <summary>Seeds initialisation-independent randomness: batch order and dropout, per epoch.</summary>
    public long Seed { get; init; }
    /// <summary>Label for progress output, e.g. "member 2/3".</summary>
    public string Label { get; init; } = "train";
    /// <summary>Where progress goes; <see cref="ProgressSinks.Console"/> by default, <see cref="ProgressSinks.None"/> to be silent.</summary>
    public IProgressSink Progress { get; init; } = ProgressSinks.Console;
    /// <summary>
    /// If set, the trainer writes a checkpoint (run settings, model, optimiser, history, checksum) here atomically after
    /// every epoch, and a new run with the same path resumes after the last completed epoch, or, when all epochs are done,
    /// returns the trained model without training. A run with other settings (<see cref="RunFingerprint"/>: seed,
    /// epochs, optimiser, schedule, data, model layout, ...) or a damaged file is refused with a <see cref="CheckpointException"/>.
    /// </summary>
    public string? CheckpointPath { get; init; }
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];
    /// <summary>
    /// Optional augmentation of each training batch's inputs (e.g. <see cref="Data.Cifar10.TrainAugmentation"/>),
    /// applied inside the step before the forward pass; the loss sees the augmented batch. Its randomness
    /// comes from a generator seeded per epoch from <see cref="Seed"/>, so runs repeat and resume exactly.
    /// </summary>
    public Data.IBatchTransform? Augment { get; init; }
    /// <summary>
    /// Feed image batches <c>[B, C, H, W]</c> to the model channels-last (<see cref="Data.ChannelsLast"/>), after any
    /// augmentation; other inputs (e.g. flat vectors) are left as they are. On the CPU the kit's CNNs train up to 1.6x
    /// faster so (README, <i>Benchmarks</i>). Off by default: the convolutions sum in another order (LeNet-S's forward pass
    /// came out bit-identical here, its weight gradients did not), so a run differs from the default one by float rounding (and the notebooks' committed numbers
    /// come from the default). A model that <c>view</c>s its input as contiguous cannot take it; the kit's models do not.
    /// </summary>
    public bool ChannelsLast { get; init; }

    /// <summary>
    /// What the model is fed: <paramref name="inputs"/>, made channels-last when <see cref="ChannelsLast"/> is on and they
    /// are images of rank <paramref name="imageRank"/> (4, or 5 for the lockstep trainer's <c>[M, B, C, H, W]</c>).
    /// </summary>
    internal Tensor ModelInputs(Tensor inputs, int imageRank = 4) =>
        ChannelsLast && inputs.dim() == imageRank ? Data.ChannelsLast.Of(inputs) : inputs;

    public void Validate()
    {
        if (Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(Epochs), $"epochs must be positive; got {Epochs}.");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), $"batch size must be positive; got {BatchSize}.");
        // Written as !(in range), so that NaN is refused too.
        if (!(LearningRate > 0 && double.IsFinite(LearningRate)))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), $"learning rate must be positive and finite; got {LearningRate}.");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), $"momentum must be in [0, 1); got {Momentum}.");
        if (!(WeightDecay >= 0 && double.IsFinite(WeightDecay)))
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), $"weight decay must be non-negative and finite; got {WeightDecay}.");
    }
}
