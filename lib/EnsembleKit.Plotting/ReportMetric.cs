using EnsembleKit.Metrics;

namespace EnsembleKit.Plotting;

/// <summary>A score of a <see cref="ClassificationReport"/> that a chart can show.</summary>
public enum ReportMetric { Accuracy, Nll, Ece, Brier }

/// <summary>How each <see cref="ReportMetric"/> is read off a report and labelled for a reader.</summary>
public static class ReportMetrics
{
    /// <summary>The value as shown: accuracy in percent, the others as they are.</summary>
    public static double Value(ClassificationReport report, ReportMetric metric) => metric switch
    {
        ReportMetric.Accuracy => report.Accuracy * 100,
        ReportMetric.Nll => report.Nll,
        ReportMetric.Ece => report.Ece,
        ReportMetric.Brier => report.Brier,
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    /// <summary>An axis label that says what the number is and which way is better.</summary>
    public static string Label(ReportMetric metric) => metric switch
    {
        ReportMetric.Accuracy => "Test accuracy, % (higher is better)",
        ReportMetric.Nll => "Test negative log-likelihood (lower is better)",
        ReportMetric.Ece => "Expected calibration error, 15 bins (lower is better)",
        ReportMetric.Brier => "Brier score (lower is better)",
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    public static string ShortName(ReportMetric metric) => metric switch
    {
        ReportMetric.Accuracy => "accuracy",
        ReportMetric.Nll => "NLL",
        ReportMetric.Ece => "ECE",
        ReportMetric.Brier => "Brier score",
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };
}
