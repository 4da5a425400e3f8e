using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Uncertainty;

/// <summary>
/// Per-sample uncertainty scores of an ensemble, from member logits <c>[M, N, C]</c> (members, samples, classes;
/// float32 or float64, every entry finite). Each returns a <c>double[N]</c>, computed in float64, natural logs (nats).
/// Notation: <c>p_m = softmax(logits_m)</c> over classes, <c>p̄ = (1/M) Σ_m p_m</c> (the mean of probabilities),
/// <c>z̄ = (1/M) Σ_m logits_m</c> (the mean of logits), <c>H[p] = -Σ_c p_c log p_c</c> with <c>0 log 0 = 0</c>.
/// </summary>
/// <remarks>
/// Sign conventions differ: <see cref="MaxSoftmaxProbability"/> and <see cref="MaxLogit"/> are confidences (higher =
/// more in-distribution); the entropies, <see cref="Energy"/> and <see cref="PredictedClassVariance"/> are
/// uncertainties (higher = more uncertain). The OOD metrics (<see cref="OodDetection"/>) take scores with higher = more
/// in-distribution; <see cref="InDistributionScore"/> returns any measure in that orientation (uncertainties negated).
/// </remarks>
public static class UncertaintyScores
{
    /// <summary>
    /// Maximum softmax probability of the mean probabilities, <c>max_c p̄[n, c]</c>, in <c>[1/C, 1]</c>.
    /// Higher = more confident, more in-distribution. <paramref name="memberLogits"/>: <c>[M, N, C]</c>.
    /// </summary>
    public static double[] MaxSoftmaxProbability(Tensor memberLogits)
    {
        UncertaintyInput.RequireMemberLogits(memberLogits, nameof(memberLogits));
        using var scope = NewDisposeScope();
        return Host(MeanProbs(memberLogits).amax(1));
    }

    /// <summary>
    /// Maximum logit of the mean logits, <c>max_c z̄[n, c]</c>. Higher = more in-distribution.
    /// <paramref name="memberLogits"/>: <c>[M, N, C]</c>.
    /// </summary>
    public static double[] MaxLogit(Tensor memberLogits)
    {
        UncertaintyInput.RequireMemberLogits(memberLogits, nameof(memberLogits));
        using var scope = NewDisposeScope();
        return Host(MeanLogits(memberLogits).amax(1));
    }

    /// <summary>
    /// Predictive (total) entropy <c>H[p̄_n] = -Σ_c p̄[n, c] log p̄[n, c]</c>, in <c>[0, log C]</c> nats.
    /// Higher = more uncertain. <paramref name="memberLogits"/>: <c>[M, N, C]</c>.
    /// </summary>
    public static double[] PredictiveEntropy(Tensor memberLogits)
    {
        UncertaintyInput.RequireMemberLogits(memberLogits, nameof(memberLogits));
        using var scope = NewDisposeScope();
        return Host(Entropy(MeanProbs(memberLogits)));
    }

    /// <summary>
    /// Expected entropy <c>(1/M) Σ_m H[p_m[n]]</c>, the aleatoric part of <see cref="PredictiveEntropy"/>, in
    /// <c>[0, log C]</c> nats. Higher = more uncertain. <paramref name="memberLogits"/>: <c>[M, N, C]</c>.
    /// </summary>
    public static double[] ExpectedEntropy(Tensor memberLogits)
    {
        UncertaintyInput.RequireMemberLogits(memberLogits, nameof(memberLogits));
        using var scope = NewDisposeScope();
        return Host(ExpectedEntropyOf(memberLogits));
    }

    /// <summary>
    /// Mutual information between the prediction and the member, <c>H[p̄_n] - (1/M) Σ_m H[p_m[n]]</c> (predictive
    /// minus expected entropy), the epistemic part; zero when all members agree, zero for M = 1. Non-negative by
    /// Jensen's inequality; rounding below zero (about 1e-16) is clamped to 0. Higher = more uncertain.
    /// <paramref name="memberLogits"/>: <c>[M, N, C]</c>.
    /// </summary>
    public static double[] MutualInformation(Tensor memberLogits)
    {
        UncertaintyInput.RequireMemberLogits(memberLogits, nameof(memberLogits));
        using var scope = NewDisposeScope();
        using Scalar zero = 0.0;
        return Host((Entropy(MeanProbs(memberLogits)) - ExpectedEntropyOf(memberLogits)).clamp_min(zero));
    }

    /// <summary>
    /// Energy <c>E_n = -T log Σ_c exp(z̄[n, c] / T)</c> of the mean logits (Liu et al. 2020), temperature
    /// <paramref name="temperature"/> &gt; 0 (default 1). Higher = more uncertain: in-distribution inputs have lower energy,
    /// so <c>-E</c> is the in-distribution score. <paramref name="memberLogits"/>: <c>[M, N, C]</c>.
    /// </summary>
    public static double[] Energy(Tensor memberLogits, double temperature = 1.0)
    {
        UncertaintyInput.RequireMemberLogits(memberLogits, nameof(memberLogits));
        UncertaintyInput.RequireTemperature(temperature, nameof(temperature));
        using var scope = NewDisposeScope();
        using Scalar divisor = temperature, scale = -temperature;
        return Host(MeanLogits(memberLogits).div(divisor).logsumexp(1).mul(scale));
    }

    /// <summary>
    /// Across-member variance of the predicted class's probability, <c>(1/M) Σ_m (p_m[n, ĉ] - p̄[n, ĉ])²</c> with
    /// <c>ĉ = argmax_c p̄[n, c]</c> (lowest index on ties); the population variance (divides by M), so 0 for M = 1,
    /// at most 1/4. Higher = more uncertain (members disagree). <paramref name="memberLogits"/>: <c>[M, N, C]</c>.
    /// </summary>
    public static double[] PredictedClassVariance(Tensor memberLogits)
    {
        UncertaintyInput.RequireMemberLogits(memberLogits, nameof(memberLogits));
        using var scope = NewDisposeScope();
        var probs = MemberProbs(memberLogits);                                       // [M, N, C]
        var predicted = probs.mean([0]).argmax(1);                                  // [N]
        var index = predicted.view(1, -1, 1).expand(probs.shape[0], -1, 1);
        var p = probs.gather(2, index).squeeze(2);                                   // [M, N]
        return Host((p - p.mean([0])).square().mean([0]));
    }

    /// <summary>The score of <paramref name="measure"/> as computed by its method above, in its own orientation.</summary>
    public static double[] Compute(UncertaintyMeasure measure, Tensor memberLogits, double temperature = 1.0) => measure switch
    {
        UncertaintyMeasure.MaxSoftmaxProbability => MaxSoftmaxProbability(memberLogits),
        UncertaintyMeasure.MaxLogit => MaxLogit(memberLogits),
        UncertaintyMeasure.PredictiveEntropy => PredictiveEntropy(memberLogits),
        UncertaintyMeasure.ExpectedEntropy => ExpectedEntropy(memberLogits),
        UncertaintyMeasure.MutualInformation => MutualInformation(memberLogits),
        UncertaintyMeasure.Energy => Energy(memberLogits, temperature),
        UncertaintyMeasure.PredictedClassVariance => PredictedClassVariance(memberLogits),
        _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, $"measure: unknown value {measure}."),
    };

    /// <summary>True for the confidences (MSP, max logit), false for the uncertainties (entropies, energy, variance).</summary>
    public static bool HigherMeansInDistribution(UncertaintyMeasure measure) => measure switch
    {
        UncertaintyMeasure.MaxSoftmaxProbability or UncertaintyMeasure.MaxLogit => true,
        UncertaintyMeasure.PredictiveEntropy or UncertaintyMeasure.ExpectedEntropy or UncertaintyMeasure.MutualInformation
            or UncertaintyMeasure.Energy or UncertaintyMeasure.PredictedClassVariance => false,
        _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, $"measure: unknown value {measure}."),
    };

    /// <summary>
    /// The one orientation the OOD and selective-prediction metrics take: higher = more likely in-distribution (more
    /// confident). Confidences are returned as they are, uncertainties negated (e.g. <c>-H[p̄]</c>, <c>-E</c>).
    /// </summary>
    public static double[] InDistributionScore(UncertaintyMeasure measure, Tensor memberLogits, double temperature = 1.0)
    {
        var scores = Compute(measure, memberLogits, temperature);
        if (HigherMeansInDistribution(measure)) return scores;
        // 0.0 - x rather than -x, so a zero uncertainty gives the score +0 and not -0.
        return scores.Select(s => 0.0 - s).ToArray();
    }

    static Tensor MemberProbs(Tensor memberLogits) => memberLogits.detach().to(ScalarType.Float64).softmax(2);

    static Tensor MeanProbs(Tensor memberLogits) => MemberProbs(memberLogits).mean([0]);

    static Tensor MeanLogits(Tensor memberLogits) => memberLogits.detach().to(ScalarType.Float64).mean([0]);

    /// <summary>Row entropies of probabilities <c>[N, C]</c>, with <c>0 log 0 = 0</c>.</summary>
    static Tensor Entropy(Tensor probs)
    {
        using Scalar zero = 0;
        return -where(probs.gt(zero), probs * probs.log(), zeros_like(probs)).sum(1);
    }

    /// <summary>Mean over members of each member's entropy, <c>[N]</c>; from log-softmax, which is finite where a
    /// probability underflows to 0 (its term is then exactly 0).</summary>
    static Tensor ExpectedEntropyOf(Tensor memberLogits)
    {
        var logp = memberLogits.detach().to(ScalarType.Float64).log_softmax(2);
        return -(logp.exp() * logp).sum(2).mean([0]);
    }

    static double[] Host(Tensor values) => values.cpu().data<double>().ToArray();
}
