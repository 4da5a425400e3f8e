using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// One noise strength of <see cref="AverageVersusVote.Sweep{TModel}"/>: the members' mean KL from the parent and mean
/// accuracy, and the ensemble's accuracy when it averages probabilities and when it takes a majority vote, all on the
/// test set. Accuracies are fractions in [0, 1].
/// </summary>
public sealed record AverageVersusVotePoint(double Sigma, double MeanKl, double MeanMemberAccuracy, double AverageAccuracy, double VoteAccuracy);

/// <summary>
/// Seed 002's comparison of combination rules under growing mutation (its WRN figure: averaging stays stable where voting
/// degrades): a noisy subnetwork ensemble (<see cref="NoisySubnetworkEnsemble.Build{TModel}"/>) at each strength σ, scored
/// with both rules.
/// </summary>
public static class AverageVersusVote
{
    /// <summary>
    /// For each σ in <paramref name="sigmas"/> (in that order), builds the ensemble of <paramref name="options"/> with that
    /// σ (its members chosen on <paramref name="validation"/>) and scores it on <paramref name="test"/>; each ensemble is
    /// freed before the next is built.
    /// </summary>
    public static IReadOnlyList<AverageVersusVotePoint> Sweep<TModel>(TModel parent, Func<TModel> create, TensorDataset validation, TensorDataset test,
        IReadOnlyList<double> sigmas, NoisySubnetworkOptions options) where TModel : nn.Module<Tensor, Tensor>
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(sigmas);
        ArgumentNullException.ThrowIfNull(options);
        if (sigmas.Count == 0) throw new ArgumentException("give at least one noise strength.", nameof(sigmas));
        foreach (var sigma in sigmas) (options with { Sigma = sigma }).Validate();   // every strength refused before any work

        using var scope = NewDisposeScope();
        var parentLogits = Predict.Logits(parent, test);
        var points = new List<AverageVersusVotePoint>();
        foreach (var sigma in sigmas)
        {
            using var ensemble = NoisySubnetworkEnsemble.Build(parent, create, validation, options with { Sigma = sigma });
            using var inner = NewDisposeScope();
            var logits = ensemble.MemberLogits(test);
            var members = Enumerable.Range(0, ensemble.Count).ToList();
            points.Add(new AverageVersusVotePoint(sigma,
                members.Average(m => TrustRegionSearch.MeanKl(parentLogits, logits[m])),
                members.Average(m => Metric.Accuracy(logits[m], test.Targets)),
                Metric.Accuracy(Combine.Probabilities(logits, CombinationRule.MeanProbabilities), test.Targets),
                Metric.Accuracy(Combine.Probabilities(logits, CombinationRule.MajorityVote), test.Targets)));
        }
        return points;
    }
}
