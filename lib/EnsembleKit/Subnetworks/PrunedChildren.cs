using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// The children of seed 002's landscape figure (§5.3.2, Fig. 5.7; E2.5.7): from one trained parent, child c is taken twice,
/// <list type="bullet">
/// <item>pruned: a copy of the parent with a random mask applied (<see cref="SubnetworkMask.Sample"/> with seed c), and</item>
/// <item>tuned: a second copy tuned one-shot with that mask held after every step (<see cref="SubnetworkTuning"/>,
/// training seed c),</item>
/// </list>
/// so what tuning does to a randomly pruned network (its loss surface, its mistakes) can be set beside the parent.
/// </summary>
public static class PrunedChildren
{
    /// <summary>
    /// Makes <paramref name="count"/> children of <paramref name="parent"/> (which is left as it is), in order; the caller
    /// owns their models. Each child's progress is labelled <c>child c tuning</c>.
    /// </summary>
    /// <param name="parent">The trained parent; every copy starts from its weights and its train/eval mode.</param>
    /// <param name="create">A new model of the parent's architecture (its weights are replaced by the parent's).</param>
    /// <param name="train">The data the tuned copies train on.</param>
    /// <param name="count">How many children.</param>
    /// <param name="mask">Which weights a mask covers and how many it removes (random masks: <see cref="MaskCriterion.Random"/>).</param>
    /// <param name="tuning">The tuned copies' training; its seed and label are replaced by the child's.</param>
    public static List<PrunedChild<TModel>> Make<TModel>(TModel parent, Func<TModel> create, TensorDataset train, int count, MaskOptions mask,
        TrainingOptions tuning) where TModel : nn.Module<Tensor, Tensor>
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(tuning);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"need at least one child; got {count}.");
        mask.Validate();
        TorchRuntime.EnsureInitialized();
        var children = new List<PrunedChild<TModel>>();
        TModel? pruned = null, tuned = null;
        try
        {
            for (int c = 0; c < count; c++)
            {
                pruned = ModelState.Clone(parent, create);
                using var target = SubnetworkMask.Sample(pruned, mask, seed: c);
                target.ApplyTo(pruned);
                tuned = ModelState.Clone(parent, create);
                using var result = SubnetworkTuning.Tune(tuned, target, train, tuning with { Label = $"child {c + 1} tuning", Seed = c },
                    new SubnetworkTuningOptions { Method = PruningMethod.OneShot }, seed: c);
                children.Add(new PrunedChild<TModel>(pruned, tuned, result.History));
                (pruned, tuned) = (null, null);
            }
            return children;
        }
        catch
        {
            pruned?.Dispose();
            tuned?.Dispose();
            foreach (var child in children) child.Dispose();
            throw;
        }
    }
}
