using EnsembleKit.Backend;
using static TorchSharp.torch;

namespace EnsembleKit.Diversity;

/// <summary>
/// Krogh–Vedelsby ambiguity decomposition of an equally weighted ensemble's squared error on probabilities, per input
/// summed over classes and averaged over inputs: <c>EnsembleError = MeanMemberError − Ambiguity</c>, where
/// <c>EnsembleError = mean_b ‖p̄ − y‖²</c> (the ensemble's Brier score), <c>MeanMemberError = (1/M) Σ_i mean_b ‖p_i − y‖²</c>
/// and <c>Ambiguity = (1/M) Σ_i mean_b ‖p_i − p̄‖²</c> (the spread of the members around the ensemble: the diversity term).
/// </summary>
/// <param name="EnsembleError">mean_b ‖p̄ − y‖².</param>
/// <param name="MeanMemberError">(1/M) Σ_i mean_b ‖p_i − y‖².</param>
/// <param name="Ambiguity">(1/M) Σ_i mean_b ‖p_i − p̄‖².</param>
/// <param name="MemberErrors">Each member's squared error (Brier score), length M.</param>
/// <param name="MemberAmbiguities">Each member's mean squared distance to the ensemble, length M.</param>
public sealed record AmbiguityDecomposition(double EnsembleError, double MeanMemberError, double Ambiguity,
    double[] MemberErrors, double[] MemberAmbiguities)
{
    /// <summary><c>MeanMemberError − Ambiguity − EnsembleError</c>; zero up to rounding.</summary>
    public double Residual => MeanMemberError - Ambiguity - EnsembleError;
}

public static partial class DiversityMetric
{
    /// <summary>
    /// The <see cref="AmbiguityDecomposition"/> of the mean-of-probabilities ensemble of <paramref name="memberLogits"/>
    /// <c>[M, B, C]</c> (this function applies the softmax) against one-hot <paramref name="targets"/> <c>[B]</c> int64.
    /// Computed in float64; throws <see cref="InvalidOperationException"/> if the three terms fail to add up (|residual| &gt; 1e-9).
    /// </summary>
    public static AmbiguityDecomposition Ambiguity(Tensor memberLogits, Tensor targets)
    {
        ValueGuards.RequireMembersAndTargets(memberLogits, targets, nameof(memberLogits));
        if (memberLogits.shape[1] == 0) throw new ArgumentException($"memberLogits has no inputs: {Shapes.Describe(memberLogits)}.", nameof(memberLogits));
        using var scope = NewDisposeScope();
        var p = memberLogits.to(ScalarType.Float64).softmax(2); // [M, B, C]
        var y = OneHot(targets.to(p.device), p.shape[2]); // [B, C]
        var mean = p.mean([0]); // [B, C]
        double ensembleError = (mean - y).square().sum(1).mean().item<double>();
        var memberErrors = (p - y.unsqueeze(0)).square().sum(2).mean([1]).data<double>().ToArray();
        var memberAmbiguities = (p - mean.unsqueeze(0)).square().sum(2).mean([1]).data<double>().ToArray();
        var result = new AmbiguityDecomposition(ensembleError, memberErrors.Average(), memberAmbiguities.Average(), memberErrors, memberAmbiguities);
        if (Math.Abs(result.Residual) > 1e-9)
            throw new InvalidOperationException($"ambiguity decomposition does not add up: {result.MeanMemberError} - {result.Ambiguity} != {result.EnsembleError} (residual {result.Residual}).");
        return result;
    }

    /// <summary>One-hot float64 <c>[B, C]</c>; throws naming the range if a target is outside [0, C).</summary>
    internal static Tensor OneHot(Tensor targets, long classes)
    {
        if (targets.numel() > 0 && (targets.min().item<long>() < 0 || targets.max().item<long>() >= classes))
            throw new ArgumentException($"targets must lie in [0, {classes}); got values in [{targets.min().item<long>()}, {targets.max().item<long>()}].", nameof(targets));
        return nn.functional.one_hot(targets, classes).to(ScalarType.Float64);
    }
}
