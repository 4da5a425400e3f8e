using EnsembleKit.Backend;
using static TorchSharp.torch;

namespace EnsembleKit.Diversity;

/// <summary>
/// Two members' mistakes on the same inputs (<see cref="DiversityMetric.ErrorOverlap"/>): how many each gets wrong, how
/// many both get wrong, the double-fault measure (Kuncheva and Whitaker 2003: the share of inputs both get wrong) and the
/// Jaccard index of the two error sets (both wrong over either wrong; NaN when neither makes a mistake).
/// </summary>
/// <param name="A">The first member's index.</param>
/// <param name="B">The second member's index, above <paramref name="A"/>.</param>
/// <param name="ErrorsA">Inputs member A gets wrong.</param>
/// <param name="ErrorsB">Inputs member B gets wrong.</param>
/// <param name="BothWrong">Inputs both get wrong.</param>
/// <param name="DoubleFault">BothWrong over all inputs.</param>
/// <param name="Jaccard">BothWrong over the inputs either gets wrong (NaN when neither makes a mistake).</param>
public sealed record ErrorOverlapPair(int A, int B, int ErrorsA, int ErrorsB, int BothWrong, double DoubleFault, double Jaccard);

public static partial class DiversityMetric
{
    /// <summary>
    /// For every pair of members a &lt; b, in the order (0, 1), (0, 2), ..., (1, 2), ...: whose errors overlap how much.
    /// A member is wrong on an input when the argmax of its row of <paramref name="memberLogits"/> <c>[M, B, C]</c>
    /// (logits or probabilities; ties to the lowest class) differs from <paramref name="targets"/> <c>[B]</c>.
    /// </summary>
    public static IReadOnlyList<ErrorOverlapPair> ErrorOverlap(Tensor memberLogits, Tensor targets)
    {
        ValueGuards.RequireMembersAndTargets(memberLogits, targets, nameof(memberLogits));
        using var scope = NewDisposeScope();
        int members = (int)memberLogits.shape[0], samples = (int)memberLogits.shape[1];
        // The wrong-indicators [M, B] times their transpose count, for every pair at once, the inputs both get wrong;
        // the diagonal is each member's own error count (exact in float64).
        var wrong = memberLogits.argmax(2).ne(targets.to(memberLogits.device).unsqueeze(0)).to(ScalarType.Float64);
        var both = HostMatrix.Of(wrong.matmul(wrong.t()));
        var pairs = new List<ErrorOverlapPair>();
        for (int a = 0; a < members; a++)
        {
            for (int b = a + 1; b < members; b++)
            {
                int errorsA = (int)both[a, a], errorsB = (int)both[b, b], bothWrong = (int)both[a, b];
                int either = errorsA + errorsB - bothWrong;
                pairs.Add(new ErrorOverlapPair(a, b, errorsA, errorsB, bothWrong,
                    samples == 0 ? double.NaN : bothWrong / (double)samples, either == 0 ? double.NaN : bothWrong / (double)either));
            }
        }
        return pairs;
    }
}
