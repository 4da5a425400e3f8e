using System.Text.Json.Nodes;
using EnsembleKit.Notebooks.Comparison;
using EnsembleKit.Notebooks.Format;

namespace EnsembleKit.Tests.Notebooks;

/// <summary>
/// What a cell shows and how two runs of a notebook are compared, on hand-made notebooks: timings and ids masked, a
/// changed number found in its cell, cells paired by id or by order, parameter cells left out.
/// </summary>
public sealed class OutputComparisonTests
{
    internal static JsonObject Stream(string text) => new() { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = MultilineText.Write(text) };

    internal static JsonObject Html(string html) => new()
    {
        ["output_type"] = "execute_result",
        ["execution_count"] = 1,
        ["metadata"] = new JsonObject(),
        ["data"] = new JsonObject { ["text/html"] = MultilineText.Write(html) },
    };

    internal static JsonObject Error(string name, string value) => new()
    {
        ["output_type"] = "error",
        ["ename"] = name,
        ["evalue"] = value,
        ["traceback"] = new JsonArray(),
    };

    /// <summary>A two-row table as the kernel formats a DataFrame: its own id, a style block, values inside pre.</summary>
    internal static string Table(long id, string accuracy) =>
        $"<table id=\"table_{id}\"><thead><tr><th><i>index</i></th><th>Model</th><th>AccuracyPercent</th></tr></thead><tbody>"
        + $"<tr><td><i><div class=\"dni-plaintext\"><pre>0</pre></div></i></td><td>parent &amp; child</td><td><div class=\"dni-plaintext\"><pre>{accuracy}</pre></div></td></tr>"
        + $"</tbody></table><button onclick=\"var page = parseInt(document.querySelector('#page_{id}').innerHTML); if (page > 0) page--;\">previous</button>"
        + "<style>\ntable td {\n    text-align: start;\n}\n</style>";

    /// <summary>A Plotly chart as Plotly.NET writes it: element ids from a fresh GUID, the data and layout on lines of their own.</summary>
    internal static string Chart(Guid id, double y) =>
        $"<div><div id=\"{id}\"></div><script type=\"text/javascript\">\nvar renderPlotly_{id:N} = function() {{\n"
        + $"        var data = [{{\"type\":\"scatter\",\"x\":[1,2],\"y\":[0.5,{y}]}}];\n        var layout = {{\"title\":{{\"text\":\"accuracy\"}}}};\n"
        + $"        Plotly.newPlot('{id}', data, layout, config);\n}};\n</script></div>";

    internal static JsonObject Code(string? id, string source, params JsonObject[] outputs)
    {
        var cell = new JsonObject
        {
            ["cell_type"] = "code",
            ["metadata"] = new JsonObject(),
            ["execution_count"] = 1,
            ["source"] = MultilineText.Write(source),
            ["outputs"] = new JsonArray(outputs.Select(o => (JsonNode)o).ToArray()),
        };
        if (id is not null) cell["id"] = id;
        return cell;
    }

    internal static JsonObject Tagged(JsonObject cell, string tag)
    {
        cell["metadata"] = new JsonObject { ["tags"] = new JsonArray(tag) };
        return cell;
    }

    internal static Notebook NotebookOf(params JsonObject[] cells) => Notebook.Parse(new JsonObject
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
        ["metadata"] = new JsonObject(),
        ["cells"] = new JsonArray(cells.Prepend(new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = "# A notebook" })
            .Select(c => (JsonNode)c).ToArray()),
    }.ToJsonString());

    /// <summary>A run of a three-cell notebook: training progress, a table and a chart.</summary>
    internal static Notebook Run(string duration, long tableId, Guid chartId, string accuracy = "65.19", double y = 0.25, bool withIds = true, string scale = "cpu") => NotebookOf(
        Tagged(Code(withIds ? "p" : null, "string scale = \"cpu\";", Stream($"scale = {scale}\n")), "injected-parameters"),
        Code(withIds ? "train" : null, "var parent = Train();", Stream($"member 1/1 [##........] 1/10 epoch 1: loss 2.0333, lr 0.1, {duration}\n")),
        Code(withIds ? "table" : null, "Tables.Scores(rows)", Html(Table(tableId, accuracy))),
        Code(withIds ? "chart" : null, "Charts.Lines(series)", Html(Chart(chartId, y))));

    [Fact]
    public void ACellShowsItsTextTableRowsAndChartDataWithTimingsAndIdsMasked()
    {
        var run = Run("48.9s", 639321227451736452, Guid.NewGuid());
        Assert.Equal(["member 1/1 [##........] 1/10 epoch 1: loss 2.0333, lr 0.1, <time>"], ShownOutput.Lines(run.Cells[2]));
        Assert.Equal(["index | Model | AccuracyPercent", "0 | parent & child | 65.19", "previous"], ShownOutput.Lines(run.Cells[3]));
        Assert.Equal(["chart var data = [{\"type\":\"scatter\",\"x\":[1,2],\"y\":[0.5,0.25]}];", "chart var layout = {\"title\":{\"text\":\"accuracy\"}};"],
            ShownOutput.Lines(run.Cells[4]));
        Assert.Empty(ShownOutput.Lines(run.Cells[0]));   // the markdown cell
    }

    [Fact]
    public void TwoRunsOfTheSameComputationAreTheSameWhateverTheirTimingsIdsAndScaleLine()
    {
        var comparison = OutputComparison.Compare(Run("48.9s", 1, Guid.NewGuid()), Run("39.5 s", 2, Guid.NewGuid(), scale: "smoke"));
        Assert.True(comparison.Same);
        Assert.Equal(3, comparison.ComparedCells);   // the parameter cell is left out
        Assert.True(comparison.PairedById);
    }

    [Fact]
    public void AChangedNumberIsReportedInItsCellWithTheLinesOnEachSide()
    {
        var comparison = OutputComparison.Compare(Run("48.9s", 1, Guid.NewGuid()), Run("48.9s", 1, Guid.NewGuid(), accuracy: "65.20", y: 0.26));
        Assert.False(comparison.Same);
        Assert.Equal(2, comparison.Differences.Count);
        var table = comparison.Differences[0];
        Assert.Equal((4, 4, "Tables.Scores(rows)"), (table.BeforeCell!.Value, table.AfterCell!.Value, table.FirstLine));
        Assert.Equal(["0 | parent & child | 65.19"], table.OnlyBefore);
        Assert.Equal(["0 | parent & child | 65.20"], table.OnlyAfter);
        Assert.Equal(["chart var data = [{\"type\":\"scatter\",\"x\":[1,2],\"y\":[0.5,0.26]}];"], comparison.Differences[1].OnlyAfter);
    }

    [Fact]
    public void CellsArePairedByIdSoARemovedCellShiftsNothingElse()
    {
        var before = Run("1 s", 1, Guid.NewGuid());
        var after = Run("1 s", 1, Guid.NewGuid());
        after.CellArray.RemoveAt(3);   // the table cell
        var comparison = OutputComparison.Compare(before, after);
        Assert.True(comparison.PairedById);
        var removed = Assert.Single(comparison.Differences);
        Assert.Equal((4, (int?)null), (removed.BeforeCell!.Value, removed.AfterCell));
        Assert.Equal(["index | Model | AccuracyPercent", "0 | parent & child | 65.19", "previous"], removed.OnlyBefore);
        Assert.Empty(removed.OnlyAfter);
    }

    [Fact]
    public void WithoutIdsCellsArePairedByOrder()
    {
        var before = Run("1 s", 1, Guid.NewGuid(), withIds: false);
        Assert.True(OutputComparison.Compare(before, Run("2 s", 1, Guid.NewGuid(), withIds: false)).Same);
        var after = Run("1 s", 1, Guid.NewGuid(), withIds: false);
        after.CellArray.RemoveAt(3);
        var comparison = OutputComparison.Compare(before, after);
        Assert.False(comparison.PairedById);
        Assert.Equal([(4, (int?)4), (5, (int?)null)], comparison.Differences.Select(d => (d.BeforeCell!.Value, d.AfterCell)));   // table vs chart, chart vs nothing
    }

    [Fact]
    public void AnErrorIsShownAndTheSameLinesInAnotherOrderAreADifferenceWithNothingOnEitherSide()
    {
        var before = NotebookOf(Code("a", "ledger.Enforce();", Stream("claim 5 holds\nclaim 6 holds\n")));
        var failed = NotebookOf(Code("a", "ledger.Enforce();", Stream("claim 5 holds\nclaim 6 holds\n"), Error("ClaimFailedException", "1 of 2 claims do not hold")));
        Assert.Equal(["error ClaimFailedException: 1 of 2 claims do not hold"], Assert.Single(OutputComparison.Compare(before, failed).Differences).OnlyAfter);

        var swapped = NotebookOf(Code("a", "ledger.Enforce();", Stream("claim 6 holds\nclaim 5 holds\n")));
        var difference = Assert.Single(OutputComparison.Compare(before, swapped).Differences);
        Assert.Empty(difference.OnlyBefore);
        Assert.Empty(difference.OnlyAfter);
    }

    [Fact]
    public void TheThreadCountsKitRunRecordedAreReadAndADifferenceIsFlagged()
    {
        Notebook RunWith(int? threads)
        {
            var run = Run("1 s", 1, Guid.NewGuid());
            if (threads is int t) run.Metadata["ensemblekit"] = new JsonObject { ["wall_seconds"] = 1.0, ["threads"] = t };
            return run;
        }
        var differ = OutputComparison.Compare(RunWith(1), RunWith(2));
        Assert.Equal((1, 2, true), (differ.BeforeThreads!.Value, differ.AfterThreads!.Value, differ.ThreadsDiffer));
        Assert.True(differ.Same);   // the outputs are what is compared; the thread count is a hint for reading a difference
        Assert.False(OutputComparison.Compare(RunWith(2), RunWith(2)).ThreadsDiffer);
        var unknown = OutputComparison.Compare(RunWith(null), RunWith(2));
        Assert.Equal((null, 2, false), (unknown.BeforeThreads, unknown.AfterThreads!.Value, unknown.ThreadsDiffer));
    }

    [Fact]
    public void MissingOrBrokenFilesAreClearErrors()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("broken.ipynb"), "{ not json");
        File.WriteAllText(temp.File("good.ipynb"), Run("1 s", 1, Guid.NewGuid()).ToJson());
        Assert.Throws<FileNotFoundException>(() => OutputComparison.Compare(temp.File("good.ipynb"), temp.File("missing.ipynb")));
        var error = Assert.Throws<InvalidDataException>(() => OutputComparison.Compare(temp.File("broken.ipynb"), temp.File("good.ipynb")));
        Assert.Contains("broken.ipynb", error.Message);
        Assert.Throws<ArgumentNullException>(() => OutputComparison.Compare((Notebook)null!, Run("1 s", 1, Guid.NewGuid())));
    }
}
