using EnsembleKit.Data;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

/// <summary>Interpolation curves between two trained models, before and after aligning one to the other.</summary>
public static class InterpolationCurves
{
    /// <summary>
    /// Two <see cref="InterpolationCurve"/>s from <paramref name="modelA"/> (lambda 0) to <paramref name="modelB"/>
    /// (lambda 1) on <paramref name="data"/>: "raw", and "after weight matching", where B's hidden units are first permuted
    /// onto A's by <see cref="WeightMatching.Align"/> (default sweeps and seed). The models are copied, not changed; the
    /// two scratch models come from <paramref name="create"/> (raw first) and are disposed.
    /// </summary>
    public static IReadOnlyList<InterpolationCurve> RawAndWeightMatched(nn.Module<Tensor, Tensor> modelA, nn.Module<Tensor, Tensor> modelB,
        PermutationSpec spec, Func<nn.Module<Tensor, Tensor>> create, TensorDataset data, int points = 11)
    {
        ArgumentNullException.ThrowIfNull(modelA);
        ArgumentNullException.ThrowIfNull(modelB);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(data);
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), $"need at least 2 points; got {points}.");
        var stateA = ModelState.Copy(modelA);
        var stateB = ModelState.Copy(modelB);
        var stateBAligned = Permutations.Apply(spec, stateB, WeightMatching.Align(spec, stateA, stateB).Permutations);
        try
        {
            InterpolationCurve raw, aligned;
            using (var scratch = create()) raw = InterpolationCurve.Evaluate("raw", stateA, stateB, scratch, data, points);
            using (var scratch = create()) aligned = InterpolationCurve.Evaluate("after weight matching", stateA, stateBAligned, scratch, data, points);
            return [raw, aligned];
        }
        finally
        {
            foreach (var t in stateA.Values.Concat(stateB.Values).Concat(stateBAligned.Values)) t.Dispose();
        }
    }
}
