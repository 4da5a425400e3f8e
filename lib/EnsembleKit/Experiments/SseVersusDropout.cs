using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;

namespace EnsembleKit.Experiments;

/// <summary>
/// Seed 002's E2.5.6, "SSE vs dropout": a dropout model trained for the whole budget, against a parent trained for half of
/// it whose half of the neurons (every layer but the classifier) is then removed and the child tuned for the other half.
/// Both record their test accuracy after every epoch, so their learning curves can be compared.
/// </summary>
public static class SseVersusDropout
{
    /// <summary>The seed of the dropout model and of the parent (member 0 of a one-member ensemble).</summary>
    public const long ModelSeed = 0;

    /// <summary>The seed of the neuron mask and of the child's tuning.</summary>
    public const long ChildSeed = 1;

    /// <summary>
    /// Test accuracy in percent after each of <paramref name="training"/>'s epochs of <paramref name="architecture"/> with
    /// dropout at <paramref name="dropoutRate"/>.
    /// </summary>
    public static double[] DropoutCurve(string architecture, TensorDataset train, TensorDataset test, TrainingOptions training, ModelOptions shape, double dropoutRate = 0.5)
    {
        Check(train, test, training, shape);
        var create = ModelRegistry.Factory(architecture, test.ClassCount, shape with { DropoutRate = dropoutRate });
        var evaluation = new EpochEvaluation(test);
        using var model = DeepEnsemble.TrainMember(create, train,
            training with { Callbacks = [.. training.Callbacks, evaluation] }, index: 0, count: 1, seed: ModelSeed).Model;
        return [.. evaluation.Records.Select(r => r.Accuracy * 100)];
    }

    /// <summary>
    /// A parent trained <paramref name="halfEpochs"/> epochs, half of its neurons removed (a structured mask on every layer
    /// but the one named <c>classifier.</c>, biases included), and the child tuned <paramref name="halfEpochs"/> more with
    /// the mask held.
    /// </summary>
    public static SseChildCurve SseCurve(string architecture, TensorDataset train, TensorDataset test, TrainingOptions training, ModelOptions shape, int halfEpochs)
    {
        Check(train, test, training, shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(halfEpochs, 1);
        var create = ModelRegistry.Factory(architecture, test.ClassCount, shape);
        var parentEvaluation = new EpochEvaluation(test);
        using var child = DeepEnsemble.TrainMember(create, train,
            training with { Epochs = halfEpochs, Callbacks = [.. training.Callbacks, parentEvaluation] }, index: 0, count: 1, seed: ModelSeed).Model;
        var halfNeurons = new MaskOptions
        {
            Sparsity = 0.5,
            Structure = MaskStructure.Structured,
            IncludeBiases = true,
            Selector = (name, p) => !name.StartsWith("classifier.", StringComparison.Ordinal) && (p.dim() >= 2 || name.EndsWith(".bias", StringComparison.Ordinal)),
        };
        using var mask = SubnetworkMask.Sample(child, halfNeurons, seed: ChildSeed);
        mask.ApplyTo(child);
        double afterPruning = Predict.Accuracy(child, test) * 100;
        var childEvaluation = new EpochEvaluation(test);
        using var tuned = SubnetworkTuning.Tune(child, mask, train,
            training with { Epochs = halfEpochs, Seed = ChildSeed, Label = "SSE child", Callbacks = [.. training.Callbacks, childEvaluation] },
            new SubnetworkTuningOptions(), seed: ChildSeed);
        double[] curve = [.. parentEvaluation.Records.Concat(childEvaluation.Records).Select(r => r.Accuracy * 100)];
        return new(curve, afterPruning, SubnetworkReport.Measure(child, "SSE child"));
    }

    /// <summary>
    /// How jagged the end of a learning curve is: the mean absolute change between consecutive points over its last
    /// <paramref name="changes"/> changes (points in percent give points per epoch).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="changes"/> is below 1 or not below the curve's length.</exception>
    public static double Roughness(IReadOnlyList<double> curve, int changes)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentOutOfRangeException.ThrowIfLessThan(changes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(changes, curve.Count);
        return Enumerable.Range(curve.Count - changes, changes).Average(e => Math.Abs(curve[e] - curve[e - 1]));
    }

    static void Check(TensorDataset train, TensorDataset test, TrainingOptions training, ModelOptions shape)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(shape);
    }
}
