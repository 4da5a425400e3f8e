using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Experiments;

/// <summary>
/// One network to train once and share: its data, its model factory, its recipe, and the run folder
/// (<see cref="KitPaths.RunFolder"/>) whose checkpoint caches it. The subnetwork notebooks start from such a parent and
/// choose it by scale: the paper's CIFAR recipe at <c>full</c>, a Fashion-MNIST MLP below.
/// </summary>
/// <param name="Name">What the task is called in printed lines, e.g. "784-512-10 MLP on Fashion-MNIST".</param>
/// <param name="Train">The training split.</param>
/// <param name="Test">The test split, prepared as the model expects it (normalised where the training batches are).</param>
/// <param name="Create">A fresh, untrained model.</param>
/// <param name="Options">The recipe the parent trains with.</param>
/// <param name="RunFolder">The subfolders of <see cref="KitPaths.RunFolder"/>'s root that hold the checkpoint (an absolute
/// first part, e.g. a temporary folder, is used as it is).</param>
public sealed record ParentTask(string Name, TensorDataset Train, TensorDataset Test, Func<nn.Module<Tensor, Tensor>> Create,
    TrainingOptions Options, IReadOnlyList<string> RunFolder)
{
    /// <summary>
    /// The parent trained with <see cref="DeepEnsemble.Train"/> as the one member of seed <paramref name="seed"/>, its
    /// checkpoint in <see cref="RunFolder"/>: a finished checkpoint with the same settings is loaded instead of trained,
    /// so notebooks that name the same folder and recipe share one parent.
    /// </summary>
    public nn.Module<Tensor, Tensor> TrainParent(long seed = 0)
    {
        var checkpoint = Path.Combine(KitPaths.RunFolder([.. RunFolder]), "seed");
        return DeepEnsemble.Train(Create, Train, Options with { CheckpointPath = checkpoint }, count: 1, seed: seed).Members[0];
    }

    /// <summary>
    /// Two disjoint parts of <see cref="Test"/>, <paramref name="count"/> rows each, as seed 002's WRN ablation splits its
    /// test set: <see cref="Data.TensorDataset.Split"/> with <paramref name="seed"/> holds out <paramref name="count"/>
    /// random rows (the validation part, "validation half"), and the first <paramref name="count"/> of the rest, in the
    /// split's order, are the test part ("test half"). Both are copies; <see cref="Test"/> is left as it is.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive, or two parts of it do not fit in <see cref="Test"/>.</exception>
    public (TensorDataset Validation, TensorDataset Test) SplitTest(int count, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (2L * count > Test.Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"two parts of {count:N0} rows do not fit in the {Test.Count:N0} rows of '{Test.Name}'.");
        var (remainder, heldOut) = Test.Split(count, seed);
        using (remainder)
        using (heldOut)
            return (heldOut.Take(count, "validation half"), remainder.Take(count, "test half"));
    }

    /// <summary>
    /// A Fashion-MNIST task: the first <paramref name="trainImages"/> training images (all 60,000 when that many or
    /// more), the first <paramref name="testImages"/> test images (all when null), seed 000's recipe
    /// (<see cref="TrainingOptions"/>' defaults: SGD 0.1, momentum 0.9, weight decay 1e-5, cosine, batch 128) for
    /// <paramref name="epochs"/> epochs, cached under <c>runFolder/{trainImages}-images-{epochs}-epochs</c>, the folder
    /// notebooks 01-03 use for their members with <c>runFolder</c> "fmnist-mlp".
    /// </summary>
    public static ParentTask FashionMnistMlp(string name, Func<nn.Module<Tensor, Tensor>> create, int trainImages, int epochs,
        string runFolder, int? testImages = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trainImages);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        ArgumentException.ThrowIfNullOrWhiteSpace(runFolder);
        if (testImages is <= 0) throw new ArgumentOutOfRangeException(nameof(testImages), $"the test set needs at least one image; got {testImages}.");
        var train = FirstImages(FashionMnist.Load(train: true), trainImages, "Fashion-MNIST train");
        var test = FirstImages(FashionMnist.Load(train: false), testImages ?? int.MaxValue, "Fashion-MNIST test");
        return new ParentTask(name, train, test, create, new TrainingOptions { Epochs = epochs }, [runFolder, $"{trainImages}-images-{epochs}-epochs"]);
    }

    /// <summary>
    /// Seed 002's CIFAR-10 parent (chapter 4): WRN-28-10, 100 epochs, batch 128, SGD 0.1 with momentum 0.9 and weight
    /// decay 5e-4, the rate divided by 10 at 50 % and 90 %, crops and flips (<see cref="Cifar10.TrainAugmentation"/>,
    /// which normalises, so the training split is loaded raw and the test split normalised); cached under
    /// <c>cifar10-wrn-28-10/100-epochs</c>. A GPU recipe.
    /// </summary>
    public static ParentTask Cifar10WideResNet28x10(string name = "WRN-28-10 on CIFAR-10") => new(name,
        Cifar10.Load(train: true), Cifar10.Load(train: false, normalize: true), ModelRegistry.Factory("wrn-28-10", 10),
        new TrainingOptions
        {
            Epochs = 100,
            BatchSize = 128,
            LearningRate = 0.1,
            Momentum = 0.9,
            WeightDecay = 5e-4,
            Schedule = new StepDecaySchedule(0.1, 0.5, 0.9),
            Augment = Cifar10.TrainAugmentation(),
        },
        ["cifar10-wrn-28-10", "100-epochs"]);

    /// <summary>
    /// Seed 002's CIFAR-100 parent (chapter 6): ResNet-18, 100 epochs, batch 128, SGD 0.1 with Nesterov momentum 0.9 and
    /// weight decay 5e-4, the rate divided by 10 at 50 % and 90 %, crops and flips, normalised with CIFAR-100's channel
    /// statistics (not given in the seed); cached under <c>cifar100-resnet18/100-epochs</c>. A GPU recipe.
    /// </summary>
    public static ParentTask Cifar100ResNet18(string name = "ResNet-18 on CIFAR-100")
    {
        var normalize = new Normalize([0.5071f, 0.4865f, 0.4409f], [0.2673f, 0.2564f, 0.2762f]);
        var rawTest = Cifar100.Load(train: false);
        var test = new TensorDataset(normalize.Apply(rawTest.Inputs), rawTest.Targets, rawTest.ClassCount, "CIFAR-100 test");
        var augment = BatchTransforms.Compose(new RandomCrop(4), new RandomHorizontalFlip(0.5), normalize);
        return new ParentTask(name, Cifar100.Load(train: true), test, ModelRegistry.Factory("resnet18", 100),
            new TrainingOptions
            {
                Epochs = 100,
                BatchSize = 128,
                LearningRate = 0.1,
                Momentum = 0.9,
                Nesterov = true,
                WeightDecay = 5e-4,
                Schedule = new StepDecaySchedule(0.1, 0.5, 0.9),
                Augment = augment,
            },
            ["cifar100-resnet18", "100-epochs"]);
    }

    // The whole split when it has no more than `count` images, else a copy of its first `count`, the split disposed.
    static TensorDataset FirstImages(TensorDataset split, int count, string name)
    {
        if (count >= split.Count) return split;
        using (split) return split.Take(count, $"{name}, first {count:N0}");
    }
}
