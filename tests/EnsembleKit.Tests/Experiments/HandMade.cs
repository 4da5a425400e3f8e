using EnsembleKit.Experiments;
using EnsembleKit.WeightSpace;

namespace EnsembleKit.Tests.Experiments;

/// <summary>Hand-made results whose derived numbers are worked out by hand in the tests that use them.</summary>
public static class HandMade
{
    /// <summary>A hand-made result: θ* at 90 % accuracy, four samples, two independent runs.</summary>
    public static SubspaceVersusIndependentRuns Subspace() => new(
        new SubspaceSamplingResult(0.90, [0, 1], null,
        [
            new("random", 0.1, Accuracy: 0.895, DisagreementWithBase: 0.05, [0, 1], null),
            new("random", 0.1, Accuracy: 0.85, DisagreementWithBase: 0.20, [0, 1], null),
            new("dropout", 0.9, Accuracy: 0.91, DisagreementWithBase: 0.02, [0, 1], null),
            new("dropout", 0.9, Accuracy: 0.892, DisagreementWithBase: 0.11, [0, 1], null),
        ]),
        [(Disagreement: 0.10, Accuracy: 0.88), (Disagreement: 0.12, Accuracy: 0.90)]);
}
