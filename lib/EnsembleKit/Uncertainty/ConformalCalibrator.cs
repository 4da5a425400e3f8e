using EnsembleKit.Backend;
using EnsembleKit.Metrics;
using static TorchSharp.torch;

namespace EnsembleKit.Uncertainty;

/// <summary>
/// Split conformal classification (Vovk et al. 2005; Angelopoulos and Bates 2021): fitted once on a calibration split,
/// it turns the probabilities of any number of later samples into prediction sets that hold the true class with
/// probability at least 1 − α, marginally over calibration and test samples drawn exchangeably. The model need not be
/// calibrated; a worse model only gets larger sets.
/// </summary>
/// <remarks>
/// <para>Fit: the score (<see cref="ConformalScore"/>) of each calibration row's true class, s_1..s_n, and the
/// threshold q = the k-th smallest of them with <c>k = ceil((n + 1)(1 − α))</c> (<see cref="QuantileRank"/>), i.e. the
/// <c>ceil((n + 1)(1 − α))/n</c> empirical quantile with no interpolation; when k &gt; n, q = +∞ and every set is all
/// classes (too few calibration rows for this α). Predict: the set of a row is <c>{y : s(x, y) ≤ q}</c>. With scores
/// that do not tie (randomised APS; LAC on continuous probabilities) the expected coverage is exactly
/// <c>k / (n + 1)</c>, in <c>[1 − α, 1 − α + 1/(n + 1))</c>.</para>
/// <para>Randomised APS draws one V ~ Uniform(0, 1) per row, shared by all classes of the row, as in Romano et al.
/// (2020) and their <c>arc</c> package (TorchCP draws one per class instead; with one per row the set is a prefix of the
/// ranking). The score <c>Z(y) − V·p_y</c> is TorchCP's form; the paper writes <c>Z(y) − p_y + U·p_y</c>, the same
/// with U = 1 − V. The V's are float64 <c>torch.rand</c> draws on the CPU from a TorchSharp generator seeded with
/// <c>seed · 1000003 + stream · 7919 + 17</c>: stream 0 of <see cref="Seed"/> for the calibration rows, stream 1 for
/// predicted rows (of <see cref="Seed"/>, or of the seed given to <see cref="Predict"/>), so calibration and test draws
/// never coincide. Row i of a batch gets the i-th draw, so the same calibrator, probabilities and seed give the same
/// sets.</para>
/// </remarks>
public sealed class ConformalCalibrator
{
    ConformalCalibrator(ConformalScore score, double alpha, long seed, int calibrationCount, int classes, double threshold)
    {
        Score = score;
        Alpha = alpha;
        Seed = seed;
        CalibrationCount = calibrationCount;
        Classes = classes;
        Threshold = threshold;
    }

    /// <summary>The score the threshold was fitted for.</summary>
    public ConformalScore Score { get; }

    /// <summary>The miscoverage α in (0, 1): sets hold the true class with probability at least 1 − α.</summary>
    public double Alpha { get; }

    /// <summary>Seed of the randomised APS draws (unused by the deterministic scores).</summary>
    public long Seed { get; }

    /// <summary>Number of calibration rows n.</summary>
    public int CalibrationCount { get; }

    /// <summary>Number of classes C; later probabilities must have the same.</summary>
    public int Classes { get; }

    /// <summary>The rank k = ceil((n + 1)(1 − α)) of the calibration score used as threshold (n + 1: none, q = +∞).</summary>
    public int Rank => QuantileRank(CalibrationCount, Alpha);

    /// <summary>The threshold q, the k-th smallest calibration score; +∞ when k &gt; n.</summary>
    public double Threshold { get; }

    /// <summary>
    /// <c>k = ceil((n + 1)(1 − α))</c>, clamped to <c>[1, n + 1]</c>. Computed in float64 with a relative 1e-12 taken off
    /// before the ceiling, so that rounding in <c>1 − α</c> cannot lift an exact integer to the next one
    /// (<c>10 · (1 − 0.7)</c> is 3.0000000000000004 in float64, but k = 3).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">n &lt; 1, or α is not in (0, 1).</exception>
    public static int QuantileRank(int calibrationCount, double alpha)
    {
        if (calibrationCount < 1)
            throw new ArgumentOutOfRangeException(nameof(calibrationCount), calibrationCount, $"calibrationCount: {calibrationCount}; at least one calibration sample is needed.");
        RequireAlpha(alpha);
        return ConformalScoring.QuantileRank(calibrationCount, alpha);
    }

    /// <summary>
    /// Fits the threshold on <paramref name="calibrationProbs"/> <c>[n, C]</c> (probabilities, any float dtype, any
    /// device) and <paramref name="calibrationTargets"/> <c>[n]</c> int64.
    /// </summary>
    /// <param name="calibrationProbs">Probabilities <c>[n, C]</c> of the calibration split (held out from training).</param>
    /// <param name="calibrationTargets">True classes <c>[n]</c> int64 of the calibration split.</param>
    /// <param name="alpha">Miscoverage in (0, 1), e.g. 0.1 for 90 % sets.</param>
    /// <param name="score">Which score; <see cref="ConformalScore.Aps"/> is randomised under <paramref name="seed"/>.</param>
    /// <param name="seed">Seed of the randomised APS draws; ignored by the other scores.</param>
    /// <exception cref="ArgumentException">
    /// α is not in (0, 1) (<see cref="ArgumentOutOfRangeException"/>), the score is unknown, or the input fails
    /// <see cref="MetricInput.RequireProbabilities"/>: not <c>[n, C]</c> floating point, n = 0, a probability that is not
    /// finite or outside [0, 1], a row not summing to 1, targets not <c>[n]</c> int64 in <c>[0, C)</c>.
    /// </exception>
    public static ConformalCalibrator Fit(Tensor calibrationProbs, Tensor calibrationTargets, double alpha, ConformalScore score, long seed = 0)
    {
        RequireAlpha(alpha);
        RequireScore(score);
        MetricInput.RequireProbabilities(calibrationProbs, calibrationTargets, nameof(calibrationProbs));
        int n = checked((int)calibrationProbs.shape[0]), classes = checked((int)calibrationProbs.shape[1]);
        var probs = Host(calibrationProbs);
        long[] targets;
        using (var scope = NewDisposeScope()) targets = calibrationTargets.cpu().data<long>().ToArray();

        var draws = Draws(score, seed, ConformalScoring.CalibrationStream, n);
        var scores = new double[n];
        for (int i = 0; i < n; i++)
            scores[i] = ConformalScoring.Score(score, probs.AsSpan(i * classes, classes), (int)targets[i], draws[i]);
        return new ConformalCalibrator(score, alpha, seed, n, classes, ConformalScoring.Threshold(scores, alpha));
    }

    /// <summary>
    /// The prediction sets of <paramref name="probs"/> <c>[N, C]</c> (probabilities, C as at fit), with their coverage
    /// when <paramref name="targets"/> <c>[N]</c> int64 are given. Randomised APS draws its V's from stream 1 of
    /// <see cref="Seed"/>, or from <paramref name="seed"/> when given (row i gets the i-th draw either way).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The probabilities or targets fail <see cref="MetricInput.RequireProbabilities"/> (N = 0 included), or C differs
    /// from the calibration's.
    /// </exception>
    public ConformalSets Predict(Tensor probs, Tensor? targets = null, long? seed = null)
    {
        RequireProbabilities(probs, targets);
        if (probs.shape[1] != Classes)
            throw new ArgumentException($"probs: {probs.shape[1]} classes ({Shapes.Describe(probs)}), but the calibrator was fitted on {Classes}.", nameof(probs));
        int count = checked((int)probs.shape[0]);
        var values = Host(probs);
        var draws = seed is long explicitSeed
            ? Draws(Score, explicitSeed, ConformalScoring.TestStream, count)
            : Draws(Score, Seed, ConformalScoring.TestStream, count);
        var members = new bool[count][];
        for (int i = 0; i < count; i++)
            members[i] = ConformalScoring.Set(Score, values.AsSpan(i * Classes, Classes), Threshold, draws[i]);

        double? coverage = null;
        if (targets is not null)
        {
            long[] labels;
            using (var scope = NewDisposeScope()) labels = targets.cpu().data<long>().ToArray();
            int covered = 0;
            for (int i = 0; i < count; i++) if (members[i][labels[i]]) covered++;
            coverage = covered / (double)count;
        }
        return new ConformalSets(Score, Threshold, members, Classes, coverage);
    }

    /// <summary>The V's of one batch: seeded uniforms for randomised APS, zeros otherwise (they multiply nothing).</summary>
    static double[] Draws(ConformalScore score, long seed, int stream, int count) =>
        score == ConformalScore.Aps ? ConformalScoring.Draws(seed, stream, count) : new double[count];

    /// <summary>
    /// Probabilities checked by <see cref="MetricInput.RequireProbabilities"/>; without targets, against stand-in
    /// targets (all class 0) so that the one validator still makes every check on the probabilities.
    /// </summary>
    static void RequireProbabilities(Tensor probs, Tensor? targets)
    {
        if (targets is not null)
        {
            MetricInput.RequireProbabilities(probs, targets, nameof(probs));
            return;
        }
        if (probs.dim() != 2)
            throw new ArgumentException($"probs must be [B, C]; got {Shapes.Describe(probs)}.", nameof(probs));
        using var standIn = zeros(probs.shape[0], dtype: ScalarType.Int64, device: probs.device);
        MetricInput.RequireProbabilities(probs, standIn, nameof(probs));
    }

    /// <summary>The probabilities as float64 on the host, row-major.</summary>
    static double[] Host(Tensor probs)
    {
        using var scope = NewDisposeScope();
        return probs.detach().to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
    }

    static void RequireAlpha(double alpha)
    {
        if (!(alpha > 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"alpha: {alpha}; the miscoverage must lie in (0, 1).");
    }

    static void RequireScore(ConformalScore score)
    {
        if (!Enum.IsDefined(score))
            throw new ArgumentException($"score: {(int)score} is not a {nameof(ConformalScore)}.", nameof(score));
    }
}
