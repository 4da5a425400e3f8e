using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// Snapshot ensemble (Huang et al. 2017, seed 004): one training run with a cyclic cosine schedule
/// (<see cref="CyclicCosineSchedule"/>), a snapshot at the end of each cycle (the learning-rate minimum),
/// the members are the snapshots. The object owns the snapshots.
/// </summary>
public sealed class SnapshotEnsemble : SnapshotBasedEnsemble
{
    SnapshotEnsemble(IReadOnlyList<WeightSnapshot> snapshots, TrainingHistory history, nn.Module<Tensor, Tensor> trained,
        Func<nn.Module<Tensor, Tensor>>? create, CombinationRule rule) : base(snapshots, history, trained, create, rule) { }

    public override string Method => "snapshot ensemble";

    /// <summary>
    /// Trains <paramref name="model"/> for <c>options.Epochs</c> epochs in <paramref name="cycles"/> cycles from
    /// <c>options.LearningRate</c> (the paper's a0), snapshotting each cycle end. Epochs must divide into the cycles.
    /// <paramref name="create"/> (a factory of <paramref name="model"/>'s architecture) is kept for predictions; without it
    /// the ensemble predicts by loading snapshots into <paramref name="model"/> and restoring it afterwards.
    /// </summary>
    public static SnapshotEnsemble Train(nn.Module<Tensor, Tensor> model, TensorDataset train, TrainingOptions options, int cycles, double minimumRate = 0,
        Func<nn.Module<Tensor, Tensor>>? create = null, CombinationRule rule = CombinationRule.MeanProbabilities)
    {
        TorchRuntime.EnsureInitialized();
        if (cycles < 1 || options.Epochs % cycles != 0)
            throw new ArgumentException($"{options.Epochs} epochs do not split into {cycles} equal cycles; choose epochs divisible by cycles.", nameof(cycles));
        int cycleEpochs = options.Epochs / cycles;
        var collector = new SnapshotCallback((epoch, _) => (epoch + 1) % cycleEpochs == 0, "snapshot");
        var history = new Trainer(options with
        {
            Schedule = new CyclicCosineSchedule(cycles, minimumRate),
            Callbacks = [.. options.Callbacks, collector],
        }).Fit(model, train);
        return new SnapshotEnsemble(collector.TakeSnapshots(), history, model, create, rule);
    }

    /// <summary>Logits <c>[M, N, C]</c> of the last <paramref name="last"/> snapshots (all by default).</summary>
    public Tensor MemberLogits<TModel>(Func<TModel> create, TensorDataset data, int? last = null) where TModel : nn.Module<Tensor, Tensor> =>
        SnapshotMembers.Logits(create, Snapshots.Skip(Snapshots.Count - (last ?? Snapshots.Count)), data);
}
