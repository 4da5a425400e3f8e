using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Metrics;

public static partial class Metric
{
    /// <summary>
    /// Classwise expected calibration error (Kull et al. 2019): the mean over classes c of
    /// <c>sum_m |B_mc|/B * |freq(y = c | B_mc) - mean p_c(B_mc)|</c>, where bin m of class c holds the samples whose
    /// probability of c lies in <c>((m-1)/M, m/M]</c> (equal width, right-closed, as in
    /// <see cref="ExpectedCalibrationError"/>). Unlike the top-label ECE it also scores the probabilities a model gives
    /// to the classes it does not predict. <paramref name="probs"/>: <c>[B, C]</c>; <paramref name="targets"/>: <c>[B]</c> int64.
    /// </summary>
    public static double ClasswiseCalibrationError(Tensor probs, Tensor targets, int bins = 15)
    {
        RequireCalibrationInput(probs, targets, bins);
        long count = probs.shape[0], classes = probs.shape[1];
        using var scope = NewDisposeScope();
        var p = probs.to(ScalarType.Float64);
        var isClass = nn.functional.one_hot(targets, classes).to(ScalarType.Float64);
        // Bin of every (sample, class) probability, offset by class so that one index_add bins all classes at once.
        using Scalar classCount = classes, binCount = bins, one = 1.0;
        var index = BinIndex(p, bins) + arange(classCount).mul(binCount);
        var flat = index.flatten();
        long cells = classes * bins;
        var counts = zeros(cells, dtype: ScalarType.Float64).index_add(0, flat, ones_like(p).flatten(), one);
        var hits = zeros(cells, dtype: ScalarType.Float64).index_add(0, flat, isClass.flatten(), one);
        var mass = zeros(cells, dtype: ScalarType.Float64).index_add(0, flat, p.flatten(), one);
        // Per cell |hits - mass| / B equals |B_mc|/B * |freq - mean p|; empty cells add 0.
        return (hits - mass).abs().sum().item<double>() / count / classes;
    }
}
