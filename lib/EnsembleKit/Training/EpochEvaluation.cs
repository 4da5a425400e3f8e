using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Metrics;
using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>
/// A <see cref="Trainer"/> callback that scores the model on held-out data after every epoch (e.g. test accuracy curves
/// while a child is pruned or annealed, seed 002 Fig. 6.3). The model is evaluated as <see cref="Predict.Logits(nn.Module{Tensor, Tensor}, TensorDataset, int)"/>
/// does (eval mode, no gradients; a <c>StochasticSubnetwork</c> then uses its target mask) and put back in its mode.
/// Accuracy is a fraction in [0, 1]; NLL is the mean negative log-likelihood of the softmax of the logits.
/// </summary>
public sealed class EpochEvaluation(TensorDataset data, int batchSize = 1000) : ITrainingCallback
{
    readonly List<EvaluationRecord> _records = [];

    public TensorDataset Data { get; } = data ?? throw new ArgumentNullException(nameof(data));
    /// <summary>One record per finished epoch, in order.</summary>
    public IReadOnlyList<EvaluationRecord> Records => _records;

    /// <summary>Only observes: a checkpoint does not record it.</summary>
    public bool ChangesTraining => false;

    public void OnEpochEnd(TrainingContext context)
    {
        if (context.Model is not nn.Module<Tensor, Tensor> model)
            throw new ArgumentException($"EpochEvaluation needs a model mapping a tensor to logits; got {context.Model.GetType().Name}.", nameof(context));
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var device = ModelDevice.Of(model);
        var inputs = Data.Inputs.device.ToString() == device.ToString() ? Data.Inputs : Data.Inputs.to(device);
        var logits = Predict.Logits(model, inputs, batchSize).to(ScalarType.Float64).cpu();
        var targets = Data.Targets.cpu();
        _records.Add(new EvaluationRecord(context.Epoch, Metric.Accuracy(logits, targets), Metric.NegativeLogLikelihood(logits.softmax(1), targets)));
    }

}
