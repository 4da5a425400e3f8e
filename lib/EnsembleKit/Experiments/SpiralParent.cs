using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using EnsembleKit.Training;

namespace EnsembleKit.Experiments;

/// <summary>
/// Seed 002's spiral task (chapter 4, E2.4.1) and its trained parent: two interleaved spiral arms
/// (<see cref="SpiralDataset"/>, noise 0.05, 1.5 turns) with 2,500 training points (seed 1), 250 validation points (seed 2)
/// and 250 test points (seed 3), and a 2-64-64-64-2 ReLU MLP (<see cref="CreateModel"/>) trained with Adam (lr 0.001, no
/// weight decay, constant rate, batch 32; the batch size and activation are not in the seed) as member 1 of 1 of seed 0.
/// Made by <see cref="Fit"/>; <see cref="TestAccuracy"/> is in percent.
/// </summary>
/// <param name="Train">The 2,500 training points.</param>
/// <param name="Validation">The 250 validation points.</param>
/// <param name="Test">The 250 test points.</param>
/// <param name="Parent">The trained parent.</param>
/// <param name="History">Its training history.</param>
/// <param name="TestAccuracy">The parent's accuracy on <paramref name="Test"/>, in percent.</param>
public sealed record SpiralParent(TensorDataset Train, TensorDataset Validation, TensorDataset Test, Mlp Parent, TrainingHistory History,
    double TestAccuracy)
{
    /// <summary>A fresh, untrained 2-64-64-64-2 MLP, the spiral parent's architecture.</summary>
    public static Mlp CreateModel() => new([(2, 64), (64, 64), (64, 64), (64, 2)]);

    /// <summary>One line: the parent's parameter count, training time and test accuracy.</summary>
    public string Summary =>
        $"spiral parent: {ModelRegistry.ParameterCount(Parent):N0} parameters, trained in {History.TotalSeconds:F1} s, test accuracy {TestAccuracy:F1} %";

    /// <summary>Generates the three splits and trains the parent for <paramref name="epochs"/> epochs (no progress output).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is not positive.</exception>
    public static SpiralParent Fit(int epochs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        TorchRuntime.EnsureInitialized();
        var train = SpiralDataset.Generate(1250, 2, noise: 0.05, seed: 1, name: "spiral train");
        var validation = SpiralDataset.Generate(125, 2, noise: 0.05, seed: 2, name: "spiral validation");
        var test = SpiralDataset.Generate(125, 2, noise: 0.05, seed: 3, name: "spiral test");
        var options = new TrainingOptions
        {
            Optimizer = OptimizerKind.Adam,
            LearningRate = 0.001,
            WeightDecay = 0,
            Epochs = epochs,
            BatchSize = 32,
            Schedule = new ConstantSchedule(),
            Progress = ProgressSinks.None,
        };
        var (parent, history) = DeepEnsemble.TrainMember(CreateModel, train, options, index: 0, count: 1, seed: 0);
        using var logits = Predict.Logits(parent, test);
        double accuracy = Metric.Accuracy(logits, test.Targets) * 100;
        return new SpiralParent(train, validation, test, parent, history, accuracy);
    }
}
