using EnsembleKit.Backend;
using static TorchSharp.torch;

namespace EnsembleKit.Diversity;

/// <summary>
/// Diversity measures between ensemble members. Member outputs are logits <c>[M, B, C]</c> (members, inputs, classes),
/// float32 or float64; each function says whether it applies a softmax. Results are plain doubles, <c>double[M, M]</c>
/// matrices or small records; no tensor is left for the caller to dispose.
/// </summary>
public static partial class DiversityMetric
{
    /// <summary>
    /// Pairwise prediction disagreement <c>[M, M]</c>: entry (i, j) is the fraction of the B inputs whose argmax
    /// differs between members i and j (S2 eq 7.3; seed 001's <c>1 - Σ 1[preds1 = preds2] / N</c>). Symmetric, zero diagonal.
    /// <paramref name="memberLogits"/>: <c>[M, B, C]</c> logits or probabilities (argmax is the same; no softmax needed).
    /// Ties go to the lowest class index.
    /// </summary>
    public static double[,] DisagreementMatrix(Tensor memberLogits)
    {
        ValueGuards.RequireMembers(memberLogits, nameof(memberLogits));
        using var scope = NewDisposeScope();
        var predictions = memberLogits.argmax(2); // [M, B]
        var differs = predictions.unsqueeze(1).ne(predictions.unsqueeze(0)).to(ScalarType.Float64); // [M, M, B]
        return HostMatrix.Of(memberLogits.shape[1] == 0 ? zeros(memberLogits.shape[0], memberLogits.shape[0], dtype: ScalarType.Float64) : differs.mean([2]));
    }

    /// <summary>
    /// Prediction disagreement of two models: the fraction of inputs whose argmax differs.
    /// <paramref name="a"/>, <paramref name="b"/>: logits or probabilities <c>[B, C]</c>.
    /// </summary>
    public static double Disagreement(Tensor a, Tensor b)
    {
        if (a.dim() != 2 || !a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"both outputs must be [B, C] of the same shape; got {Shapes.Describe(a)} and {Shapes.Describe(b)}.");
        if (a.shape[0] == 0) throw new ArgumentException($"the outputs have no inputs: {Shapes.Describe(a)}.", nameof(a));
        ValueGuards.RequireFinite(a, nameof(a));
        ValueGuards.RequireFinite(b, nameof(b));
        using var scope = NewDisposeScope();
        return a.argmax(1).ne(b.argmax(1)).to(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>Prediction disagreement of two vectors of predicted classes (e.g. from <see cref="TrajectoryRecorder"/>).</summary>
    public static double Disagreement(int[] a, int[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"prediction vectors differ in length: {a.Length} vs {b.Length}.");
        if (a.Length == 0) throw new ArgumentException("prediction vectors are empty.");
        int differ = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) differ++;
        return (double)differ / a.Length;
    }
}
