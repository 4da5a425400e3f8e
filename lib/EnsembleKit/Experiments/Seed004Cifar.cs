using EnsembleKit.Data;
using EnsembleKit.Training;

namespace EnsembleKit.Experiments;

/// <summary>
/// The CIFAR-10 setting that seed 004's notebooks (05 snapshot ensembles, 06 FGE, 07 SWA and MC dropout) share at a
/// scale: the network, how many training and test images, and the training batches' augmentation.
/// </summary>
/// <param name="Network">The <see cref="Models.ModelRegistry"/> name: the paper's network at <c>full</c>, LeNet-S below.</param>
/// <param name="TrainImages">The first this many training images: 1,000 (smoke), 10,000 (cpu), 50,000 (full).</param>
/// <param name="TestImages">The first this many test images: 2,000 (smoke), 10,000 otherwise.</param>
/// <param name="Augment">At <c>full</c> the papers' random crops (4 pixels, padded with the mean colour since the
/// split is loaded normalised) and horizontal flips; none below, where LeNet-S would not converge with them.</param>
public sealed record Seed004Cifar(string Network, int TrainImages, int TestImages, IBatchTransform? Augment)
{
    /// <summary>The setting at <paramref name="run"/>'s scale, with <paramref name="fullNetwork"/> at <c>full</c>.</summary>
    public static Seed004Cifar For(Scale run, string fullNetwork)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fullNetwork);
        return new(run.IsFull ? fullNetwork : "lenet-s", run.Pick(smoke: 1_000, cpu: 10_000, full: 50_000), run.IsSmoke ? 2_000 : 10_000,
            PapersAugmentation(run));
    }

    /// <summary>
    /// The recipe notebooks 06 and 07 train every network with (05 changes batch size, Nesterov and weight decay at
    /// <c>full</c>): SGD at <paramref name="peakRate"/> with momentum 0.9, weight decay 5e-4, cosine annealing, batches
    /// of 32 at <c>smoke</c> and 128 otherwise, and <see cref="Augment"/>'s crops and flips at <c>full</c> only. The epochs
    /// are left at <see cref="TrainingOptions"/>' default for the caller to set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="peakRate"/> is not positive.</exception>
    public static TrainingOptions Sgd(Scale run, double peakRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(peakRate);
        return new TrainingOptions
        {
            BatchSize = run.IsSmoke ? 32 : 128,
            LearningRate = peakRate,
            Momentum = 0.9,
            WeightDecay = 5e-4,
            Schedule = new CosineAnnealingSchedule(),
            Augment = PapersAugmentation(run),
        };
    }

    static IBatchTransform? PapersAugmentation(Scale run) =>
        run.IsFull ? BatchTransforms.Compose(new RandomCrop(4), new RandomHorizontalFlip(0.5)) : null;

    /// <summary>
    /// CIFAR-10's first <paramref name="trainImages"/> training and first <paramref name="testImages"/> test images
    /// (<see cref="TrainImages"/> and <see cref="TestImages"/> of a setting), both standardised per channel, named
    /// "CIFAR-10 train, first N" and "CIFAR-10 test, first N".
    /// </summary>
    public static (TensorDataset Train, TensorDataset Test) Load(int trainImages, int testImages)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trainImages);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(testImages);
        var train = Cifar10.Load(train: true, normalize: true).Take(trainImages, $"CIFAR-10 train, first {trainImages:N0}");
        var test = Cifar10.Load(train: false, normalize: true).Take(testImages, $"CIFAR-10 test, first {testImages:N0}");
        return (train, test);
    }
}
