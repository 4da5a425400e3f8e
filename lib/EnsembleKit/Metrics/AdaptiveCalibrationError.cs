using static TorchSharp.torch;

namespace EnsembleKit.Metrics;

public static partial class Metric
{
    /// <summary>
    /// Adaptive (equal-mass) expected calibration error, AdaECE (Nguyen and O'Connor 2015; Mukhoti et al. 2020):
    /// <c>sum_m |B_m|/B * |acc(B_m) - conf(B_m)|</c> like <see cref="ExpectedCalibrationError"/>, but the samples are
    /// sorted by confidence (the top probability) and split into <paramref name="bins"/> groups of equal size (bin m
    /// holds ranks <c>[floor(mB/M), floor((m+1)B/M))</c>), so no bin is empty and the crowded top bin of an accurate
    /// network is split up. <paramref name="probs"/>: <c>[B, C]</c>; <paramref name="targets"/>: <c>[B]</c> int64.
    /// </summary>
    public static double AdaptiveCalibrationError(Tensor probs, Tensor targets, int bins = 15)
    {
        RequireCalibrationInput(probs, targets, bins);
        long count = probs.shape[0];
        double[] confidence, correct;
        using (var scope = NewDisposeScope())
        {
            var (top, predicted) = probs.to(ScalarType.Float64).max(1);
            // A stable sort keeps tied confidences in sample order, so the bins do not depend on the sort's whims.
            var (sorted, order) = top.sort(stable: true);
            confidence = sorted.data<double>().ToArray();
            correct = predicted.eq(targets).index_select(0, order).to(ScalarType.Float64).data<double>().ToArray();
        }
        double error = 0;
        for (int m = 0; m < bins; m++)
        {
            long start = m * count / bins, end = (m + 1) * count / bins;
            if (end == start) continue; // more bins than samples
            double accuracy = 0, meanConfidence = 0;
            for (long i = start; i < end; i++) { accuracy += correct[i]; meanConfidence += confidence[i]; }
            error += Math.Abs(accuracy - meanConfidence) / count; // |B_m|/B * |acc - conf| with the sums over B_m
        }
        return error;
    }
}
