namespace EnsembleKit.Evaluation;

/// <summary>
/// One predictor's scores on a test set: a member or the ensemble. <see cref="Accuracy"/> is a fraction in [0, 1];
/// <see cref="CalibratedNll"/> is the two-fold temperature-scaled NLL (<see cref="Metrics.TemperatureScaling.TwoFoldCalibratedNll"/>).
/// </summary>
public sealed record ScoreRow(string Name, int Members, double Accuracy, double Nll, double Ece, double Brier, double CalibratedNll)
{
    /// <summary>Error in percent, as the papers' tables print it.</summary>
    public double ErrorPercent => (1 - Accuracy) * 100;

    /// <summary>The four scores a <see cref="Metrics.ClassificationReport"/> holds (what <c>Charts.MetricBars</c> draws).</summary>
    public Metrics.ClassificationReport ToReport() => new(Name, Accuracy, Nll, Ece, Brier);

    /// <summary>
    /// This row repeated at each of <paramref name="members"/> (<see cref="Members"/> replaced, the scores kept): a
    /// single model or a one-pass method drawn as a flat line across an ensemble-size chart.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="members"/> is empty or holds a size below 1.</exception>
    public IReadOnlyList<ScoreRow> AtSizes(IEnumerable<int> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var sizes = members.ToList();
        if (sizes.Count == 0) throw new ArgumentException($"'{Name}' needs at least one size to be drawn at; got none.", nameof(members));
        if (sizes.Any(m => m < 1)) throw new ArgumentException($"sizes must be at least 1; got {string.Join(", ", sizes)}.", nameof(members));
        return sizes.Select(m => this with { Members = m }).ToList();
    }

    /// <summary><see cref="AtSizes(IEnumerable{int})"/> at the sizes listed: <c>swa.AtSizes(1, 20)</c>.</summary>
    public IReadOnlyList<ScoreRow> AtSizes(params int[] members) => AtSizes((IEnumerable<int>)members);
}
