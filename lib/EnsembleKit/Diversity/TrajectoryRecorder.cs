using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Diversity;

/// <summary>
/// One recorded checkpoint of a training trajectory, held as plain CPU arrays (no tensors).
/// </summary>
/// <param name="Epoch">0-based epoch after which it was recorded.</param>
/// <param name="Weights">flattened parameters (<see cref="ParameterVector.Flatten"/>; biases as the recorder was told).</param>
/// <param name="Predictions">argmax class per test input, length N.</param>
/// <param name="Probabilities">softmax probabilities, row-major <c>[N, C]</c> flattened to length N·C.</param>
/// <param name="Classes">C.</param>
/// <param name="Accuracy">test accuracy of <paramref name="Predictions"/>.</param>
public sealed record TrajectoryPoint(int Epoch, float[] Weights, int[] Predictions, float[] Probabilities, int Classes, double Accuracy)
{
    /// <summary>Number of test inputs N.</summary>
    public int Count => Predictions.Length;
}

/// <summary>
/// Training callback that, after each chosen epoch, keeps a CPU copy of the model's flattened weights and its predictions on
/// a fixed test set (argmax and softmax probabilities), for seed 001's epoch × epoch cosine and disagreement heat-maps and
/// trajectory t-SNE. Cheap to keep many: it holds only <c>float[]</c>/<c>int[]</c> arrays, never live tensors.
/// The model must be an <c>nn.Module&lt;Tensor, Tensor&gt;</c> returning logits <c>[B, C]</c>; the test inputs must sit on
/// the model's device. Predictions are taken in eval mode; the model's train/eval mode is restored.
/// </summary>
public sealed class TrajectoryRecorder : ITrainingCallback
{
    readonly TensorDataset _test;
    readonly Func<int, int, bool> _when;
    readonly List<TrajectoryPoint> _points = [];
    readonly int _batchSize;

    /// <summary>Whether the weight vectors include biases (default false, as seed 001's weight cosine).</summary>
    public bool IncludeBiases { get; }

    /// <summary>Records after the 0-based epochs in <paramref name="epochs"/>.</summary>
    public TrajectoryRecorder(TensorDataset test, IEnumerable<int> epochs, bool includeBiases = false, int batchSize = 1000)
        : this(test, Chosen(epochs), includeBiases, batchSize) { }

    /// <summary>Records after every epoch for which <paramref name="when"/>(0-based epoch, total epochs) is true.</summary>
    public TrajectoryRecorder(TensorDataset test, Func<int, int, bool> when, bool includeBiases = false, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be positive; got {batchSize}.");
        _test = test;
        _when = when;
        _batchSize = batchSize;
        IncludeBiases = includeBiases;
    }

    /// <summary>A recorder for every epoch.</summary>
    public static TrajectoryRecorder EveryEpoch(TensorDataset test, bool includeBiases = false) => new(test, (_, _) => true, includeBiases);

    static Func<int, int, bool> Chosen(IEnumerable<int> epochs)
    {
        var set = epochs.ToHashSet();
        if (set.Any(e => e < 0)) throw new ArgumentOutOfRangeException(nameof(epochs), $"epochs are 0-based and non-negative; got {string.Join(", ", set.Where(e => e < 0))}.");
        return (epoch, _) => set.Contains(epoch);
    }

    /// <summary>The points recorded so far, in epoch order.</summary>
    public IReadOnlyList<TrajectoryPoint> Points => _points;

    /// <summary>Only observes: a checkpoint does not record it.</summary>
    public bool ChangesTraining => false;

    public void OnEpochEnd(TrainingContext context)
    {
        if (!_when(context.Epoch, context.TotalEpochs)) return;
        Record(context.Model, context.Epoch);
    }

    /// <summary>Records <paramref name="model"/> now (e.g. the initialisation, as epoch -1), appends the point to <see cref="Points"/> and returns it.</summary>
    public TrajectoryPoint Record(nn.Module model, int epoch)
    {
        TorchRuntime.EnsureInitialized();
        if (model is not nn.Module<Tensor, Tensor> classifier)
            throw new ArgumentException($"the recorder needs a model mapping a tensor to logits (nn.Module<Tensor, Tensor>); got {model.GetType().Name}.", nameof(model));
        var weights = ParameterVector.Flatten(model, IncludeBiases);
        using var scope = NewDisposeScope();
        var logits = Predict.Logits(classifier, _test, _batchSize);
        if (logits.dim() != 2 || logits.shape[0] != _test.Count)
            throw new InvalidOperationException($"the model returned {Shapes.Describe(logits)} for {_test.Count} test inputs; expected logits [N, C].");
        var probs = logits.to(ScalarType.Float32).softmax(1).to(CPU);
        var predictions = logits.argmax(1).to(ScalarType.Int32).to(CPU).data<int>().ToArray();
        var targets = _test.Targets.to(CPU).data<long>().ToArray();
        int correct = 0;
        for (int i = 0; i < predictions.Length; i++) if (predictions[i] == targets[i]) correct++;
        var point = new TrajectoryPoint(epoch, weights, predictions, probs.contiguous().data<float>().ToArray(), (int)logits.shape[1],
            predictions.Length == 0 ? 0 : (double)correct / predictions.Length);
        _points.Add(point);
        return point;
    }
}
