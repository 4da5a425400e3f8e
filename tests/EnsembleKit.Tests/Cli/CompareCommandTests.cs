using EnsembleKit.Tests.Notebooks;

namespace EnsembleKit.Tests.Cli;

/// <summary><c>kit compare</c>: exit 0 for the same numbers, 1 with the differing cells listed, 2 for a missing or broken file.</summary>
public sealed class CompareCommandTests
{
    static (int Code, string Stdout, string Stderr) Compare(params string[] args)
    {
        var stdout = new StringWriter();
        var original = Console.Out;
        Console.SetOut(stdout);
        try
        {
            var (code, stderr) = KitCli.RunInProcess(["compare", .. args]);
            return (code, stdout.ToString(), stderr);
        }
        finally { Console.SetOut(original); }
    }

    [Fact]
    public void TheSameNumbersExitZeroAndAChangedOneExitsOneNamingItsCell()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("committed.ipynb"), OutputComparisonTests.Run("48.9s", 1, Guid.NewGuid()).ToJson());
        File.WriteAllText(temp.File("rerun.ipynb"), OutputComparisonTests.Run("39.5 s", 2, Guid.NewGuid(), scale: "smoke").ToJson());
        File.WriteAllText(temp.File("changed.ipynb"), OutputComparisonTests.Run("39.5 s", 2, Guid.NewGuid(), accuracy: "65.20").ToJson());

        var same = Compare(temp.File("committed.ipynb"), temp.File("rerun.ipynb"));
        Assert.Equal(0, same.Code);
        Assert.Equal("3 of 3 code cells show the same (paired by id; durations and element ids masked).", same.Stdout.Trim());

        var changed = Compare(temp.File("committed.ipynb"), temp.File("changed.ipynb"));
        Assert.Equal(1, changed.Code);
        Assert.Equal(
        [
            "cell 4 (`Tables.Scores(rows)`): 1 line(s) only before, 1 only after",
            "  - 0 | parent & child | 65.19",
            "  + 0 | parent & child | 65.20",
            "2 of 3 code cells show the same (paired by id; durations and element ids masked); 1 differs.",
        ], changed.Stdout.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')));

        var capped = Compare(temp.File("committed.ipynb"), temp.File("changed.ipynb"), "--lines", "0");
        Assert.Contains("  - ... 1 more", capped.Stdout);

        var oneThread = OutputComparisonTests.Run("48.9s", 1, Guid.NewGuid());
        oneThread.Metadata["ensemblekit"] = new System.Text.Json.Nodes.JsonObject { ["threads"] = 1 };
        File.WriteAllText(temp.File("one-thread.ipynb"), oneThread.ToJson());
        var twoThreads = OutputComparisonTests.Run("48.9s", 1, Guid.NewGuid());
        twoThreads.Metadata["ensemblekit"] = new System.Text.Json.Nodes.JsonObject { ["threads"] = 2 };
        File.WriteAllText(temp.File("two-threads.ipynb"), twoThreads.ToJson());
        var threads = Compare(temp.File("one-thread.ipynb"), temp.File("two-threads.ipynb"));
        Assert.Equal(0, threads.Code);
        Assert.Contains("note: the first run used 1 libtorch threads, the second 2", threads.Stdout);
    }

    [Fact]
    public void ALongChartLineIsPrintedAroundItsFirstDifference()
    {
        using var temp = new TempFolder();
        string Chart(double last) => $"<div><script>\n        var data = [{{\"y\":[{string.Join(",", Enumerable.Range(0, 200))},{last}]}}];\n"
            + "        Plotly.newPlot('x', data, layout, config);\n</script></div>";
        File.WriteAllText(temp.File("a.ipynb"), OutputComparisonTests.NotebookOf(OutputComparisonTests.Code("c", "Charts.Lines(s)", OutputComparisonTests.Html(Chart(0.25)))).ToJson());
        File.WriteAllText(temp.File("b.ipynb"), OutputComparisonTests.NotebookOf(OutputComparisonTests.Code("c", "Charts.Lines(s)", OutputComparisonTests.Html(Chart(0.26)))).ToJson());
        var result = Compare(temp.File("a.ipynb"), temp.File("b.ipynb"));
        Assert.Equal(1, result.Code);
        var lines = result.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.EndsWith(",199,0.25]}];", lines[1]);   // the line's end, where the numbers differ, is in view
        Assert.StartsWith("  - …", lines[1]);
        Assert.EndsWith(",199,0.26]}];", lines[2]);
    }

    [Fact]
    public void TwoFoldersCompareEveryNotebookWithItsNamesake()
    {
        using var temp = new TempFolder();
        var (committed, reruns) = (temp.NewFolder(), temp.NewFolder());
        foreach (var name in new[] { "01-a.ipynb", "02-b.ipynb", "03-c.ipynb" })
            File.WriteAllText(Path.Combine(committed, name), OutputComparisonTests.Run("1 s", 1, Guid.NewGuid()).ToJson());
        File.WriteAllText(Path.Combine(reruns, "01-a.ipynb"), OutputComparisonTests.Run("2 s", 2, Guid.NewGuid()).ToJson());
        File.WriteAllText(Path.Combine(reruns, "02-b.ipynb"), OutputComparisonTests.Run("2 s", 2, Guid.NewGuid(), accuracy: "65.20").ToJson());
        File.WriteAllText(Path.Combine(reruns, ".02-b.kit-run-1.ipynb"), "not read");   // kit run's side file

        var result = Compare(committed, reruns);
        Assert.Equal(1, result.Code);
        var lines = result.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        Assert.Equal("== 01-a.ipynb", lines[0]);
        Assert.Equal("== 02-b.ipynb", lines[2]);
        Assert.Equal("1 of 2 notebooks show the same; 1 differs.", lines[^1]);   // 03-c was not rerun

        File.WriteAllText(Path.Combine(reruns, "03-c.ipynb"), "{");
        Assert.Equal(2, Compare(committed, reruns).Code);
        Assert.Equal(2, Compare(committed, Path.Combine(reruns, "01-a.ipynb")).Code);   // a folder and a file
        Assert.Equal(2, Compare(committed, temp.NewFolder()).Code);                      // nothing to compare
    }

    [Fact]
    public void MissingOrBrokenFilesAndBadOptionsExitTwo()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("good.ipynb"), OutputComparisonTests.Run("1 s", 1, Guid.NewGuid()).ToJson());
        File.WriteAllText(temp.File("broken.ipynb"), "[1, 2]");

        var missing = Compare(temp.File("good.ipynb"), temp.File("missing.ipynb"));
        Assert.Equal(2, missing.Code);
        Assert.Contains("missing.ipynb does not exist", missing.Stderr);
        var broken = Compare(temp.File("broken.ipynb"), temp.File("good.ipynb"));
        Assert.Equal(2, broken.Code);
        Assert.Contains("broken.ipynb", broken.Stderr);
        Assert.Equal(2, Compare(temp.File("good.ipynb"), temp.File("good.ipynb"), "--lines", "-1").Code);
    }
}
