using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Metrics;

/// <summary>One bin of a reliability diagram: confidences in (Lower, Upper], how many, their accuracy and mean confidence.</summary>
public sealed record CalibrationBin(double Lower, double Upper, long Count, double Accuracy, double Confidence);

public static partial class Metric
{
    /// <summary>
    /// Expected calibration error with <paramref name="bins"/> equal-width confidence bins (Guo et al. 2017):
    /// <c>sum_m |B_m|/B * |acc(B_m) - conf(B_m)|</c>, where confidence is the top probability and bin m holds
    /// confidences in <c>((m-1)/M, m/M]</c>. <paramref name="probs"/>: <c>[B, C]</c>; <paramref name="targets"/>: <c>[B]</c> int64.
    /// </summary>
    public static double ExpectedCalibrationError(Tensor probs, Tensor targets, int bins = 15)
    {
        var table = ReliabilityBins(probs, targets, bins);
        long total = table.Sum(b => b.Count);
        return table.Sum(b => b.Count == 0 ? 0 : (double)b.Count / total * Math.Abs(b.Accuracy - b.Confidence));
    }

    /// <summary>The bins behind <see cref="ExpectedCalibrationError"/>, for a reliability diagram.</summary>
    public static IReadOnlyList<CalibrationBin> ReliabilityBins(Tensor probs, Tensor targets, int bins = 15)
    {
        RequireCalibrationInput(probs, targets, bins);
        using var scope = NewDisposeScope();
        var (confidence, predicted) = probs.to(ScalarType.Float64).max(1);
        var correct = predicted.eq(targets).to(ScalarType.Float64);
        var index = BinIndex(confidence, bins);
        using Scalar one = 1.0;
        var counts = zeros(bins, dtype: ScalarType.Float64).index_add(0, index, ones_like(confidence), one);
        var correctSums = zeros(bins, dtype: ScalarType.Float64).index_add(0, index, correct, one);
        var confidenceSums = zeros(bins, dtype: ScalarType.Float64).index_add(0, index, confidence, one);
        var n = counts.data<double>().ToArray();
        var c = correctSums.data<double>().ToArray();
        var s = confidenceSums.data<double>().ToArray();
        return Enumerable.Range(0, bins).Select(m => new CalibrationBin(
            (double)m / bins, (double)(m + 1) / bins, (long)n[m],
            n[m] == 0 ? 0 : c[m] / n[m], n[m] == 0 ? 0 : s[m] / n[m])).ToList();
    }

    /// <summary>Equal-width, right-closed bins of probabilities in [0, 1]: index <c>ceil(p * M) - 1</c>, so p = m/M falls in
    /// bin m - 1 of <c>0..M-1</c> and p = 0 in the first.</summary>
    static Tensor BinIndex(Tensor probabilities, int bins)
    {
        using Scalar binCount = bins, one = 1, first = 0, last = bins - 1;
        return probabilities.mul(binCount).ceil().sub(one).clamp(first, last).to(ScalarType.Int64);
    }

    /// <summary>The checks every calibration error shares: probabilities <c>[B, C]</c> with B at least 1 (see
    /// <see cref="MetricInput.RequireProbabilities"/>), targets <c>[B]</c> in <c>[0, C)</c>, and a positive number of bins.</summary>
    static void RequireCalibrationInput(Tensor probs, Tensor targets, int bins)
    {
        if (bins <= 0) throw new ArgumentOutOfRangeException(nameof(bins), $"bins must be positive; got {bins}.");
        MetricInput.RequireProbabilities(probs, targets, nameof(probs));
    }
}
