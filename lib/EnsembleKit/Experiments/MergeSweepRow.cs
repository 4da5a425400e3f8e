using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.WeightSpace;
using static TorchSharp.torch;

namespace EnsembleKit.Experiments;

/// <summary>
/// Seed 000's merge sweep (E0.4-E0.5): the first <see cref="M"/> members merged three ways, each scored by its test accuracy
/// in percent: the naive average of their weights, the average after weight matching every member onto the first
/// (<see cref="AlignedAveraging.ByWeightMatching"/>), and the ensemble of the M networks (mean of logits, M forward passes).
/// </summary>
public sealed record MergeSweepRow(int M, double Naive, double WeightMatched, double Ensemble)
{
    /// <summary>
    /// One row for each M from 2 to the number of <paramref name="members"/>. The merged models come from
    /// <paramref name="create"/>, naive before matched for each M, and are disposed; the members are left as they are.
    /// </summary>
    public static IReadOnlyList<MergeSweepRow> Run(IReadOnlyList<Mlp> members, PermutationSpec spec, Func<Mlp> create, TensorDataset test)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(test);
        if (members.Count < 2) throw new ArgumentException($"merging needs at least 2 members; got {members.Count}.", nameof(members));
        double Accuracy(nn.Module<Tensor, Tensor> model) => Predict.Accuracy(model, test) * 100;
        var rows = new List<MergeSweepRow>();
        for (int m = 2; m <= members.Count; m++)
        {
            var subset = members.Take(m).Cast<nn.Module<Tensor, Tensor>>().ToList();
            using var naive = WeightAveraging.Into(subset, create());
            using var matched = AlignedAveraging.Into(subset, spec, create(), AlignedAveraging.ByWeightMatching(spec));
            // The ensemble only holds the members; disposing it would dispose them.
            var ensemble = new DeepEnsemble(subset, CombinationRule.MeanLogits);
            rows.Add(new MergeSweepRow(m, Accuracy(naive), Accuracy(matched), Accuracy(ensemble)));
        }
        return rows;
    }
}
