using EnsembleKit.Subnetworks;

namespace EnsembleKit.Experiments;

/// <summary>The SSE side of <see cref="SseVersusDropout"/>: a parent's then its pruned child's test accuracy per epoch.</summary>
/// <param name="Curve">Test accuracy in percent after each epoch: the parent's epochs, then the child's.</param>
/// <param name="AfterPruning">The child's test accuracy right after pruning, before any tuning, %.</param>
/// <param name="Size">The tuned child's parameter counts.</param>
public sealed record SseChildCurve(double[] Curve, double AfterPruning, SubnetworkSize Size);
