using System.Globalization;
using System.Net;
using System.Text;
using EnsembleKit.Evaluation;

namespace EnsembleKit.Interactive;

/// <summary>An <see cref="EnsembleReport"/> as an HTML table: one row a member, then the ensemble (bold), then diversity.</summary>
public static class ReportHtml
{
    /// <summary>The table; numbers as in <see cref="EnsembleReport.ToTable"/>.</summary>
    public static string Format(EnsembleReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append("<table><caption>").Append(WebUtility.HtmlEncode($"{report.Method} ({report.Rule})")).Append("</caption>");
        sb.Append("<thead><tr><th>predictor</th><th>acc %</th><th>NLL</th><th>cal. NLL</th><th>ECE</th><th>Brier</th></tr></thead><tbody>");
        foreach (var row in report.Rows)
        {
            bool ensemble = ReferenceEquals(row, report.Ensemble);
            sb.Append(ensemble ? "<tr style=\"font-weight:bold\">" : "<tr>");
            sb.Append("<td>").Append(WebUtility.HtmlEncode(row.Name)).Append("</td>");
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"<td>{row.Accuracy * 100:F2}</td><td>{row.Nll:F4}</td><td>{row.CalibratedNll:F4}</td><td>{row.Ece:F4}</td><td>{row.Brier:F4}</td></tr>"));
        }
        sb.Append("</tbody></table>");
        if (report.Diversity is { } d)
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"<p>diversity: disagreement {d.Disagreement.Mean:F4}, KL {d.KlDivergence.Mean:F4} (means over {d.Disagreement.Pairs} ordered pairs)</p>"));
        return sb.ToString();
    }
}
