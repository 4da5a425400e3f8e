using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// Children of a trained parent tuned in pairs, the three ensembles of seed 002's output-correlation study (E2.7.2):
/// <list type="bullet">
/// <item>SSE (R): each pair two independent random masks (<see cref="SubnetworkMask.Sample"/>, sparsity <c>sparsity</c>);</item>
/// <item>SSE (NP): each pair the two halves of one Neural Partitioning (<see cref="NeuralPartitioning.Partition"/>);</item>
/// <item>SSE (NP + BAG): as SSE (NP), each child tuned on its own bootstrap sample of the training set
/// (<see cref="Bagging.SampleIndices"/>, <c>bagFraction</c> of it, with replacement).</item>
/// </list>
/// Every child starts from the parent's weights and is tuned one-shot towards its mask with <see cref="SubnetworkTuning"/>.
/// Seeding, so a run can be repeated and compared: pair p's masks come from <c>seed + p</c> (partition) or
/// <c>seed + 2p</c> and <c>seed + 2p + 1</c> (random masks); child k of pair p trains, and draws its bootstrap sample,
/// with <c>seed + 10p + k</c>.
/// </summary>
public static class PairedChildren
{
    /// <summary>Tunes <paramref name="pairs"/> pairs of children of <paramref name="parent"/> (which is left as it is); returns them in pair order.</summary>
    /// <param name="parent">The trained parent; every child starts from its weights.</param>
    /// <param name="create">A new model of the parent's architecture (its weights are replaced by the parent's).</param>
    /// <param name="train">The data each child is tuned on (or, with <paramref name="bagged"/>, resampled from).</param>
    /// <param name="pairs">How many pairs; the result holds twice as many children.</param>
    /// <param name="partitioned">True: each pair splits one Neural Partitioning (SSE (NP)); false: two random masks (SSE (R)).</param>
    /// <param name="bagged">True: each child tunes on its own bootstrap sample (SSE (NP + BAG)).</param>
    /// <param name="tuning">Each child's training; its <see cref="TrainingOptions.Seed"/> is replaced by the child's seed.</param>
    /// <param name="seed">The base of every mask's and child's seed (see the class summary).</param>
    /// <param name="sparsity">The random masks' sparsity (SSE (R) only; a partition halves the units).</param>
    /// <param name="bagFraction">A bootstrap sample's size as a fraction of <paramref name="train"/>.</param>
    public static List<TModel> Tune<TModel>(TModel parent, Func<TModel> create, TensorDataset train, int pairs, bool partitioned, bool bagged,
        TrainingOptions tuning, long seed, double sparsity = 0.5, double bagFraction = 0.9) where TModel : nn.Module<Tensor, Tensor>
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(tuning);
        if (pairs < 1) throw new ArgumentOutOfRangeException(nameof(pairs), $"need at least one pair; got {pairs}.");
        if (sparsity is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(sparsity), $"sparsity must be in (0, 1); got {sparsity}.");
        if (bagFraction is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(bagFraction), $"the bootstrap fraction must be in (0, 1]; got {bagFraction}.");
        TorchRuntime.EnsureInitialized();
        var parentState = ModelState.Copy(parent, CPU);
        var children = new List<TModel>();
        try
        {
            for (int pair = 0; pair < pairs; pair++)
            {
                var masks = partitioned
                    ? NeuralPartitioning.Partition(parent, 2, seed + pair)
                    : [SubnetworkMask.Sample(parent, new MaskOptions { Sparsity = sparsity }, seed + 2 * pair),
                       SubnetworkMask.Sample(parent, new MaskOptions { Sparsity = sparsity }, seed + 2 * pair + 1)];
                try
                {
                    for (int k = 0; k < 2; k++)
                    {
                        long childSeed = seed + 10 * pair + k;
                        var child = create();
                        children.Add(child);
                        ModelState.Load(child, parentState, "the parent");
                        using var bag = bagged ? Bagging.SampleIndices(train.Count, bagFraction, withReplacement: true, childSeed) : null;
                        using var sample = bag is null ? null : train.Subset(bag, "bootstrap");
                        using var result = SubnetworkTuning.Tune(child, masks[k], sample ?? train, tuning with { Seed = childSeed },
                            new SubnetworkTuningOptions(), childSeed);
                    }
                }
                finally
                {
                    foreach (var mask in masks) mask.Dispose();
                }
            }
            return children;
        }
        catch
        {
            foreach (var child in children) child.Dispose();
            throw;
        }
        finally
        {
            ModelState.Dispose(parentState);
        }
    }
}
