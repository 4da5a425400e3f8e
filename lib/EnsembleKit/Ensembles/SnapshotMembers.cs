using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>Predictions of ensemble members stored as <see cref="WeightSnapshot"/>s, one model object reused for all.</summary>
public static class SnapshotMembers
{
    /// <summary>Member logits <c>[M, N, C]</c>: each snapshot loaded in turn into one model from <paramref name="create"/>.</summary>
    public static Tensor Logits<TModel>(Func<TModel> create, IEnumerable<WeightSnapshot> snapshots, TensorDataset data, int batchSize = 1000)
        where TModel : nn.Module<Tensor, Tensor>
    {
        using var model = create();
        model.to(data.Inputs.device);
        using var scope = NewDisposeScope();
        var outputs = new List<Tensor>();
        foreach (var snapshot in snapshots)
        {
            snapshot.LoadInto(model);
            outputs.Add(Predict.Logits(model, data, batchSize));
        }
        if (outputs.Count == 0) throw new ArgumentException("no snapshots to predict with.", nameof(snapshots));
        return stack(outputs, 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Member logits <c>[M, N, C]</c> predicted with <paramref name="vessel"/>, a model of the snapshots' architecture that
    /// the caller keeps using (e.g. the model a snapshot or FGE run trained): its state is put back afterwards.
    /// </summary>
    internal static Tensor LogitsWith(nn.Module<Tensor, Tensor> vessel, IEnumerable<WeightSnapshot> snapshots, TensorDataset data, int batchSize)
    {
        bool wasTraining = vessel.training;
        using var saved = WeightSnapshot.Of(vessel, "state before prediction");
        using var scope = NewDisposeScope();
        try
        {
            var outputs = new List<Tensor>();
            foreach (var snapshot in snapshots)
            {
                snapshot.LoadInto(vessel);
                outputs.Add(Predict.Logits(vessel, data, batchSize));
            }
            if (outputs.Count == 0) throw new ArgumentException("no snapshots to predict with.", nameof(snapshots));
            return stack(outputs, 0).MoveToOuterDisposeScope();
        }
        finally
        {
            saved.LoadInto(vessel);
            vessel.train(wasTraining);
        }
    }
}
