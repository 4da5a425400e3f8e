using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>
/// What a callback sees: the model, the epoch (0-based; the one just finished in <see cref="ITrainingCallback.OnEpochEnd"/>,
/// the current one in the per-step hooks) and the history so far. In the per-step hooks <see cref="Step"/> is the
/// 0-based step within the epoch and <see cref="StepsPerEpoch"/> the number of steps an epoch; at epoch end Step is -1.
/// </summary>
public sealed record TrainingContext(nn.Module Model, int Epoch, int TotalEpochs, TrainingHistory History)
{
    public int Step { get; init; } = -1;
    public int StepsPerEpoch { get; init; }
}

/// <summary>
/// Hooks into a <see cref="Trainer"/> run, e.g. to record trajectories, take snapshots or keep pruned weights at zero.
/// The per-step hooks run inside the step's dispose scope: tensors they keep must be detached from it.
/// </summary>
public interface ITrainingCallback
{
    void OnEpochEnd(TrainingContext context);

    /// <summary>After <c>loss.backward()</c>, before <c>optimizer.step()</c>: gradients are in place and may be edited.</summary>
    void OnBeforeStep(TrainingContext context) { }

    /// <summary>Right after <c>optimizer.step()</c>, once per mini-batch.</summary>
    void OnStepEnd(TrainingContext context) { }

    /// <summary>
    /// After a run resumed from its checkpoint, before its next epoch: <see cref="TrainingContext.Epoch"/> is the number of
    /// epochs the checkpoint holds, and the model has their weights. A callback that gathers something across epochs
    /// restores what it had gathered in them here, or refuses to go on without it (<see cref="SnapshotCallback"/>).
    /// </summary>
    void OnResume(TrainingContext context) { }

    /// <summary>
    /// Whether the callback changes what training computes (edits gradients or weights, e.g. a mask or pruning), so that
    /// a checkpoint records it among the run's settings and a run without it does not resume from that checkpoint.
    /// True unless the callback says otherwise; observers (evaluation, snapshots, trajectories) return false.
    /// </summary>
    bool ChangesTraining => true;
}
