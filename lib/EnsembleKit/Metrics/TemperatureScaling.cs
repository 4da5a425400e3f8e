using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Metrics;

/// <summary>
/// Temperature scaling (Guo et al. 2017): one scalar T fitted on held-out data so that <c>softmax(logits / T)</c>
/// has the lowest NLL. Ensembles are scaled on their log-probabilities (a valid set of logits). The NLL is convex
/// in <c>1/T</c>, so a golden-section search over <c>1/T</c> finds the optimum.
/// </summary>
public static class TemperatureScaling
{
    /// <summary>
    /// The NLL-optimal temperature in <c>[<paramref name="minTemperature"/>, <paramref name="maxTemperature"/>]</c> for
    /// <paramref name="logits"/> <c>[B, C]</c> and targets <c>[B]</c> int64; a bound when the optimum lies beyond it (e.g.
    /// the lower bound for logits that rank every target first).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The logits are not finite, the batch is empty, there are fewer than 2 classes, a target lies outside <c>[0, C)</c>
    /// (see <see cref="MetricInput.RequireFiniteLogits"/>), or every row's logits are equal across classes. Equal logits
    /// give the uniform distribution and an NLL of <c>log C</c> at every temperature: they carry no information to fit T
    /// on, so any T would be arbitrary (the search would drift to the lower bound). This is refused rather than answered
    /// with a default such as T = 1, because it almost always means a model that has collapsed or was never trained.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">The bounds are not finite with 0 &lt; min &lt; max.</exception>
    public static double Fit(Tensor logits, Tensor targets, double minTemperature = 0.05, double maxTemperature = 20)
    {
        if (!(minTemperature > 0 && minTemperature < maxTemperature && double.IsFinite(maxTemperature)))
            throw new ArgumentOutOfRangeException(nameof(minTemperature), $"the temperature bounds must satisfy 0 < min < max < inf; got [{minTemperature}, {maxTemperature}].");
        MetricInput.RequireFiniteLogits(logits, targets, nameof(logits), minClasses: 2);
        using var scope = NewDisposeScope();
        var z = logits.to(ScalarType.Float64);
        if ((z.amax(1) - z.amin(1)).max().item<double>() == 0)
            throw new ArgumentException($"logits: every row is the same value for all {z.shape[1]} classes, so the NLL is log {z.shape[1]} at every temperature and no temperature can be fitted (a collapsed or untrained model?).", nameof(logits));
        var chosen = z.gather(1, targets.unsqueeze(1)).squeeze(1);
        double Nll(double beta)
        {
            using Scalar inverseTemperature = beta;
            return (z.mul(inverseTemperature).logsumexp(1) - chosen.mul(inverseTemperature)).mean().item<double>();
        }

        double lo = 1 / maxTemperature, hi = 1 / minTemperature;
        double ratio = (Math.Sqrt(5) - 1) / 2;
        double a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo);
        double fa = Nll(a), fb = Nll(b);
        for (int i = 0; i < 80 && hi - lo > 1e-9; i++)
        {
            if (fa < fb) { hi = b; b = a; fb = fa; a = hi - ratio * (hi - lo); fa = Nll(a); }
            else { lo = a; a = b; fa = fb; b = lo + ratio * (hi - lo); fb = Nll(b); }
        }
        return 1 / ((lo + hi) / 2);
    }

    /// <summary>Probabilities <c>softmax(logits / temperature)</c>, <c>[B, C]</c> float64.</summary>
    public static Tensor Apply(Tensor logits, double temperature)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), $"temperature must be positive; got {temperature}.");
        using var scope = NewDisposeScope();
        using Scalar divisor = temperature;
        return logits.to(ScalarType.Float64).div(divisor).softmax(-1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Calibrated NLL (Ashukha et al. 2020): fit T on the validation logits, report the test NLL at that T.
    /// </summary>
    public static (double Nll, double Temperature) CalibratedNll(Tensor validationLogits, Tensor validationTargets, Tensor testLogits, Tensor testTargets)
    {
        // Checked here too, so that an error names the argument the caller passed (Fit would say "logits", and the
        // test NLL would report the softmax of non-finite test logits as "probs").
        MetricInput.RequireFiniteLogits(validationLogits, validationTargets, nameof(validationLogits), minClasses: 2);
        MetricInput.RequireFiniteLogits(testLogits, testTargets, nameof(testLogits), minClasses: 2);
        double t = Fit(validationLogits, validationTargets);
        using var probs = Apply(testLogits, t);
        return (Metric.NegativeLogLikelihood(probs, testTargets), t);
    }

    /// <summary>
    /// Calibrated NLL without a validation set, Ashukha et al.'s protocol: split the test set in two halves (first
    /// <c>⌊N/2⌋</c> rows, the rest), fit T on one half and score the other, swap, and average the two NLLs weighted by the
    /// halves' sizes. Logits <c>[N, C]</c> (N ≥ 2, rows in no particular order), targets <c>[N]</c> int64.
    /// </summary>
    public static double TwoFoldCalibratedNll(Tensor logits, Tensor targets)
    {
        MetricInput.RequireFiniteLogits(logits, targets, nameof(logits), minClasses: 2);
        long n = targets.shape[0], half = n / 2;
        if (half < 1) throw new ArgumentException($"a two-fold calibrated NLL needs at least 2 rows; got {n}.", nameof(logits));
        using var scope = NewDisposeScope();
        double a = CalibratedNll(logits.narrow(0, 0, half), targets.narrow(0, 0, half), logits.narrow(0, half, n - half), targets.narrow(0, half, n - half)).Nll;
        double b = CalibratedNll(logits.narrow(0, half, n - half), targets.narrow(0, half, n - half), logits.narrow(0, 0, half), targets.narrow(0, 0, half)).Nll;
        return (a * (n - half) + b * half) / n;
    }
}
