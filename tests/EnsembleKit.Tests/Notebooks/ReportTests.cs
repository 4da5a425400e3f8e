using EnsembleKit.Notebooks.Execution;
using EnsembleKit.Notebooks.Report;

namespace EnsembleKit.Tests.Notebooks;

public class ReportTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CellOutputsKeepTheLastStateOfRedrawnLines()
    {
        Assert.Equal("done\nnext", CellOutputs.ApplyCarriageReturns("10%\r50%\rdone\nnext"));
        Assert.Equal("bar 2/2", CellOutputs.ApplyCarriageReturns("\rbar 1/2\rbar 2/2\r"));
        Assert.Equal("a\nb\n", CellOutputs.ApplyCarriageReturns("a\r\nb\r\n"));
    }

    [Fact]
    public void MarkdownRendersHeadingsListsTablesAndInlineMarkup()
    {
        var html = MarkdownHtml.ToHtml("# Title\n\nSome **bold** and `a<b` code, $x^2$.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |");
        var compact = System.Text.RegularExpressions.Regex.Replace(html, @">\s+<", "><");
        Assert.Contains("<h1>Title</h1>", html);
        Assert.Contains("<strong>bold</strong>", html);
        Assert.Contains("<code>a&lt;b</code>", html);
        Assert.Contains("<ul><li>one</li><li>two</li></ul>", compact);
        Assert.Contains("<th>a</th><th>b</th>", compact);
        Assert.Contains("<td>1</td><td>2</td>", compact);
        Assert.Contains("x^2", html);
    }

    [Fact]
    public void TheReportCarriesPlotlyJsOnceAndEveryChart()
    {
        var path = TestNotebooks.Write(_temp.NewFolder(),
            TestNotebooks.Markdown("# Charts"),
            TestNotebooks.Code(TestNotebooks.KitReferences + "\nvar h = new EnsembleKit.Training.TrainingHistory(\"member 1\");\nh.Add(new EnsembleKit.Training.EpochRecord(0, 1.0, 0.1, 1));\ndisplay(EnsembleKit.Plotting.Charts.TrainingCurves(new[] { h }));\ndisplay(EnsembleKit.Plotting.Charts.TrainingCurves(new[] { h }));"));
        var result = TestNotebooks.Run(path);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        var html = HtmlReport.Render(result.Notebook);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "id=\"ensemblekit-plotlyjs\""));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, "var renderPlotly_").Count);
        Assert.Contains("window.requirejs=shim", html); // the charts' require.js call gets the inline plotly.js
        Assert.Contains("plotly.js v2", html); // the embedded library itself, not a CDN link
        Assert.DoesNotContain("<script src=", html); // the charts' CDN fallback runs only where require.js is missing
        Assert.Contains("<h1>Charts</h1>", html);
    }
}
