using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// Test-set scores of a subnetwork ensemble beside its parent (<see cref="Evaluate{TModel}"/>), as seed 002 reports a noisy
/// subnetwork ensemble: <see cref="Reports"/> holds the parent ("parent"), each member ("member 1", ...), then the members
/// combined with and without the parent under each rule ("parent + members, MeanLogits", ..., "members only, MajorityVote").
/// Accuracies are fractions in [0, 1]. <see cref="Algorithm1"/> is Algorithm 1's prediction (the parent averaged with the
/// members in logit space), and <see cref="VersusParent"/> compares it with the parent row by row.
/// </summary>
public sealed record SubnetworkScores(IReadOnlyList<ClassificationReport> Reports, int Members, double MeanMemberKl, AccuracyDifference VersusParent)
{
    /// <summary>The name of Algorithm 1's report in <see cref="Reports"/>.</summary>
    public const string Algorithm1Name = "parent + members, MeanLogits";

    static readonly CombinationRule[] Rules = [CombinationRule.MeanLogits, CombinationRule.MeanProbabilities, CombinationRule.MajorityVote];

    /// <summary>The parent's report.</summary>
    public ClassificationReport Parent => Reports[0];

    /// <summary>Algorithm 1's report: the parent and the members, logits averaged.</summary>
    public ClassificationReport Algorithm1 => Reports.Single(r => r.Name == Algorithm1Name);

    /// <summary>The members' mean accuracy (a fraction).</summary>
    public double MeanMemberAccuracy => Reports.Skip(1).Take(Members).Average(r => r.Accuracy);

    /// <summary>
    /// Scores <paramref name="ensemble"/>'s members and <paramref name="parent"/> on <paramref name="test"/>, alone and combined
    /// by each <see cref="CombinationRule"/> with and without the parent; <see cref="MeanMemberKl"/> is the members' mean
    /// <see cref="TrustRegionSearch.MeanKl"/> from the parent, the trust region's measure.
    /// </summary>
    public static SubnetworkScores Evaluate<TModel>(SubnetworkEnsemble<TModel> ensemble, nn.Module<Tensor, Tensor> parent, TensorDataset test)
        where TModel : nn.Module<Tensor, Tensor>
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(test);
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var withParent = ensemble.MemberLogits(test, parent);                       // [1 + K, N, C], parent first
        var members = withParent.narrow(0, 1, ensemble.Count);                      // [K, N, C]
        var reports = new List<ClassificationReport> { ClassificationReport.FromLogits("parent", withParent[0], test.Targets) };
        for (int m = 0; m < ensemble.Count; m++) reports.Add(ClassificationReport.FromLogits($"member {m + 1}", members[m], test.Targets));
        var algorithm1 = Combine.Probabilities(withParent, CombinationRule.MeanLogits);   // scored once: its row and the paired test
        foreach (var (name, logits) in new[] { ("parent + members", withParent), ("members only", members) })
            foreach (var rule in Rules)
            {
                var probabilities = ReferenceEquals(logits, withParent) && rule == CombinationRule.MeanLogits ? algorithm1 : Combine.Probabilities(logits, rule);
                reports.Add(ClassificationReport.FromProbabilities($"{name}, {rule}", probabilities, test.Targets));
            }
        double kl = Enumerable.Range(0, ensemble.Count).Average(m => TrustRegionSearch.MeanKl(withParent[0], members[m]));
        var versusParent = Metric.PairedAccuracyDifference(algorithm1, withParent[0], test.Targets);
        return new SubnetworkScores(reports, ensemble.Count, kl, versusParent);
    }
}
