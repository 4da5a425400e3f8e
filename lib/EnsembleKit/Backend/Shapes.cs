using static TorchSharp.torch;

namespace EnsembleKit.Backend;

/// <summary>Shape and dtype guards that throw <see cref="ArgumentException"/> naming the actual shape.</summary>
public static class Shapes
{
    public static string Describe(Tensor t) => $"[{string.Join(", ", t.shape)}] {t.dtype}";

    /// <summary>Layout only: probabilities or logits <c>[B, C]</c>, floating point, with targets <c>[B]</c> int64. The values
    /// (targets in [0, C), finite probabilities summing to 1) are the metrics' concern: <c>Metrics.MetricInput</c>.</summary>
    public static void RequireScoresAndTargets(Tensor scores, Tensor targets, string scoresName = "probs")
    {
        if (scores.dim() != 2)
            throw new ArgumentException($"{scoresName} must be [B, C]; got {Describe(scores)}.", scoresName);
        if (!scores.is_floating_point())
            throw new ArgumentException($"{scoresName} must be floating point; got {Describe(scores)}.", scoresName);
        RequireTargets(targets, scores.shape[0]);
    }

    public static void RequireTargets(Tensor targets, long batch)
    {
        if (targets.dim() != 1 || targets.shape[0] != batch)
            throw new ArgumentException($"targets must be [{batch}]; got {Describe(targets)}.", nameof(targets));
        if (targets.dtype != ScalarType.Int64)
            throw new ArgumentException($"targets must be int64 class indices; got {Describe(targets)}.", nameof(targets));
    }

    /// <summary>Member outputs <c>[M, B, C]</c>, floating point, with at least one member and one class.</summary>
    public static void RequireMembers(Tensor memberOutputs, string name = "memberProbs")
    {
        if (memberOutputs.dim() != 3)
            throw new ArgumentException($"{name} must be [M, B, C] (members, batch, classes); got {Describe(memberOutputs)}.", name);
        if (!memberOutputs.is_floating_point())
            throw new ArgumentException($"{name} must be floating point; got {Describe(memberOutputs)}.", name);
        if (memberOutputs.shape[0] == 0) throw new ArgumentException($"{name} has no members ({Describe(memberOutputs)}).", name);
        if (memberOutputs.shape[2] == 0) throw new ArgumentException($"{name} has no classes ({Describe(memberOutputs)}).", name);
    }
}
