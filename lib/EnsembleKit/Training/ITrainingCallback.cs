using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>What a callback sees: the model, the epoch just finished (0-based) and the history so far.</summary>
public sealed record TrainingContext(nn.Module Model, int Epoch, int TotalEpochs, TrainingHistory History);

/// <summary>Hooks into a <see cref="Trainer"/> run, e.g. to record trajectories or take snapshots.</summary>
public interface ITrainingCallback
{
    void OnEpochEnd(TrainingContext context);
}
