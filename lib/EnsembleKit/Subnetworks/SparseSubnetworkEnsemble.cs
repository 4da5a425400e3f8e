using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// Sparse Subnetwork Ensembles (seed 002 ch. 5, Algorithm 2): children pruned from a trained parent by random (R) or
/// Neural Partitioning (NP) masks and tuned, with the removed weights frozen at zero. With an annealing
/// <see cref="SparseSubnetworkOptions.Method"/> the children are tuned by stochastic subnetwork annealing (Algorithm 3,
/// see <see cref="StochasticSubnetworkEnsemble"/>).
/// </summary>
public static class SparseSubnetworkEnsemble
{
    /// <summary>
    /// Builds the children from <paramref name="parent"/> (left unchanged). Child i's mask: R uses seed <c>(Seed, i)</c>;
    /// NP draws one partition per group of k children. For NP pairs with random annealing the second child starts from
    /// <c>1 − P₀</c> of the first (seed 002 §6.2). <paramref name="create"/> must return a new model of the parent's architecture.
    /// </summary>
    public static SubnetworkEnsemble<TModel> Train<TModel>(TModel parent, Func<TModel> create, TensorDataset train, SparseSubnetworkOptions options)
        where TModel : nn.Module<Tensor, Tensor>
    {
        TorchRuntime.EnsureInitialized();
        options.Validate();
        var children = new List<TModel>();
        var masks = new List<SubnetworkMask>();
        var histories = new List<TrainingHistory>();
        SubnetworkMask[]? group = null;
        StochasticMask? sibling = null;
        try
        {
            for (int i = 0; i < options.Children; i++)
            {
                SubnetworkMask target;
                if (options.Sampling == SubnetworkSampling.NeuralPartitioning)
                {
                    int k = options.Partitions;
                    if (i % k == 0)
                    {
                        DisposeAll(group);
                        group = NeuralPartitioning.Partition(parent, k, SeedMix.Of(options.Seed, i / k, 2), options.Mask);
                    }
                    target = group![i % k].Clone();
                }
                else target = SubnetworkMask.Sample(parent, options.Mask, SeedMix.Of(options.Seed, i, 1));

                var child = ModelState.Clone(parent, create);
                children.Add(child);
                var training = options.Tuning with
                {
                    Seed = options.Tuning.Seed + i,
                    Label = $"child {i + 1}/{options.Children}",
                    CheckpointPath = options.Tuning.CheckpointPath is null ? null : $"{options.Tuning.CheckpointPath}.child{i}",
                };
                long seed = SeedMix.Of(options.Seed, i, 3);
                SubnetworkTuningResult result;
                using (target)
                {
                    bool pairedRandomAnnealing = options.Method.Method == PruningMethod.RandomAnnealing
                        && options.Sampling == SubnetworkSampling.NeuralPartitioning && options.Partitions == 2;
                    if (pairedRandomAnnealing && i % 2 == 0)
                    {
                        sibling?.Dispose();
                        sibling = StochasticMask.Random(target, options.Method.Schedule, SeedMix.Of(seed, 2));
                        result = SubnetworkTuning.Tune(child, sibling, train, training, SeedMix.Of(seed, 1));
                    }
                    else if (pairedRandomAnnealing)
                    {
                        using var plan = sibling!.Complement();
                        result = SubnetworkTuning.Tune(child, plan, train, training, SeedMix.Of(seed, 1));
                    }
                    else result = SubnetworkTuning.Tune(child, target, train, training, options.Method, seed);
                }
                masks.Add(result.Mask);
                histories.Add(result.History);
            }
        }
        catch
        {
            foreach (var c in children) c.Dispose();
            foreach (var m in masks) m.Dispose();
            throw;
        }
        finally
        {
            DisposeAll(group);
            sibling?.Dispose();
        }
        // Algorithm 3 is Algorithm 2 with annealed masks (StochasticSubnetworkEnsemble.WithAnnealing).
        var method = options.Method.Method is PruningMethod.RandomAnnealing or PruningMethod.TemperatureAnnealing
            ? "stochastic subnetwork ensemble" : "sparse subnetwork ensemble";
        return new SubnetworkEnsemble<TModel>(children, masks, histories, method: method);
    }

    static void DisposeAll(SubnetworkMask[]? masks)
    {
        if (masks is null) return;
        foreach (var m in masks) m.Dispose();
    }
}
