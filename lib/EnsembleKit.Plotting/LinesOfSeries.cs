using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// <see cref="Lines(IEnumerable{LineSeries}, string, string, string)"/> with the titles first and the series after
    /// them: <c>Charts.Lines("Learning rate", "epoch", "rate", first, second)</c>.
    /// </summary>
    public static GenericChart Lines(string title, string xTitle, string yTitle, params LineSeries[] series) =>
        Lines((IEnumerable<LineSeries>)series, title, xTitle, yTitle);
}
