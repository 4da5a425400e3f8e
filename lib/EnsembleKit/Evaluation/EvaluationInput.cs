using EnsembleKit.Backend;
using EnsembleKit.Uncertainty;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Evaluation;

/// <summary>The input checks shared by the selective, conformal and shift evaluations; every refusal is an
/// <see cref="ArgumentException"/> naming the argument and the offending value.</summary>
internal static class EvaluationInput
{
    /// <summary>Member logits <c>[M, N, C]</c> (finite, floating point, N ≥ 1) and targets <c>[N]</c> int64 in <c>[0, C)</c>.</summary>
    public static void RequireLogitsAndTargets(Tensor memberLogits, Tensor targets, string logitsName)
    {
        UncertaintyInput.RequireMemberLogits(memberLogits, logitsName);
        ArgumentNullException.ThrowIfNull(targets);
        Shapes.RequireTargets(targets, memberLogits.shape[1]);
        ValueGuards.RequireClassIndices(targets, memberLogits.shape[2]);
    }
}
