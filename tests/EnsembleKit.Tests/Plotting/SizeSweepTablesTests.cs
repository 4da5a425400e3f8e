using EnsembleKit.Evaluation;
using EnsembleKit.Plotting;

namespace EnsembleKit.Tests.Plotting;

/// <summary>Notebook 18's Table 3 beside a hand-made size sweep.</summary>
public sealed class SizeSweepTablesTests
{
    static readonly string[] Methods = ["single", "deep", "mc", "snapshot", "fge", "swag", "csgld", "vi", "kfac"];

    static SizeSweepRow Row(string method, int k, double accuracy, double calibratedNll) =>
        new(method, k, new ScoreRow(method, k, accuracy, 0.5, 0.01, 0.2, calibratedNll), 1);

    [Fact]
    public void EachMethodsRowsFollowTable3sOrderWithThePapersCellsWhereItHasThatK()
    {
        // Sweep order differs from the table's; k = 2 is not in the paper.
        var rows = new[] { Row("deep", 1, 0.9, 0.31234), Row("single", 1, 0.895, 0.3157), Row("deep", 2, 0.91, 0.3), Row("kfac", 100, 0.88, 0.29) };
        var frame = Tables.SizeSweepVersusPaper(rows, Methods);
        Assert.Equal(["Method", "k", "PaperError", "ThisRunError", "PaperCalibratedNll", "ThisRunCalibratedNll"], frame.Columns.Select(c => c.Name));
        Assert.Equal(["single", "deep", "deep", "kfac"], frame.Columns["Method"].Cast<string>());
        Assert.Equal(["5.83", "5.95", "", "5.80"], frame.Columns["PaperError"].Cast<string>());
        Assert.Equal(["10.50", "10.00", "9.00", "12.00"], frame.Columns["ThisRunError"].Cast<string>());
        Assert.Equal(["0.223", "0.226", "", "0.200"], frame.Columns["PaperCalibratedNll"].Cast<string>());
        Assert.Equal("0.3123", frame.Columns["ThisRunCalibratedNll"][1]);
    }

    [Fact]
    public void ItNeedsTheNineMethods()
    {
        var error = Assert.Throws<ArgumentException>(() => Tables.SizeSweepVersusPaper([], Methods[..8]));
        Assert.Contains("9 methods", error.Message);
        Assert.Throws<ArgumentNullException>(() => Tables.SizeSweepVersusPaper(null!, Methods));
    }
}
