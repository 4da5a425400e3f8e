using System.Text.Json.Nodes;
using EnsembleKit.Notebooks.Execution;
using EnsembleKit.Notebooks.Format;

namespace EnsembleKit.Tests.Notebooks;

/// <summary>The runner's kernel behaviours on small notebooks.</summary>
public class RunnerTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void SharesStateAcrossCellsAndShowsTrailingExpressionsAndDisplay()
    {
        var path = TestNotebooks.Write(_temp.NewFolder(),
            TestNotebooks.Code("var x = 20;"),
            TestNotebooks.Markdown("# text"),
            TestNotebooks.Code("Console.WriteLine(\"out\");\nConsole.Error.WriteLine(\"err\");\ndisplay(\"shown\");\nx + 1"),
            TestNotebooks.Code("var y = x * 2;"));
        var result = TestNotebooks.Run(path);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        var cells = result.Notebook.Cells;
        Assert.Equal(2, cells[2].Json["execution_count"]!.GetValue<int>());
        Assert.Equal("out\n", TestNotebooks.Text(cells[2], "stream", "stdout"));
        Assert.Equal("err\n", TestNotebooks.Text(cells[2], "stream", "stderr"));
        Assert.Equal("shown", TestNotebooks.Text(cells[2], "display_data", "text/plain"));
        Assert.Contains("<pre>21</pre>", TestNotebooks.Text(cells[2], "execute_result", "text/html")); // the kernel's HTML for a number
        var types = cells[2].Outputs.Select(o => o!["output_type"]!.GetValue<string>()).ToList();
        Assert.Equal(["stream", "stream", "display_data", "execute_result"], types);
        Assert.Empty(cells[3].Outputs); // a statement ending in ';' has no result
        Assert.Empty(NbformatValidator.Problems(result.Notebook.ToJson()));
    }

    [Fact]
    public void ImportRunsADibFileRelativeToTheNotebooksFolder()
    {
        // As the repository notebooks' first cell does (#!import ../lib/packages/nuget-source.dib): the kernel app's
        // #!import, resolved against the notebook's folder, runs the file's cells in this kernel.
        var folder = _temp.NewFolder();
        var shared = Directory.CreateDirectory(Path.Combine(folder, "shared")).FullName;
        File.WriteAllText(Path.Combine(shared, "setup.dib"), "#!csharp\n\nvar imported = 41;\n");
        var notebooks = Directory.CreateDirectory(Path.Combine(folder, "notebooks")).FullName;
        var path = TestNotebooks.Write(notebooks,
            TestNotebooks.Code("// set-up\n#!import ../shared/setup.dib"),
            TestNotebooks.Code("Console.WriteLine(imported + 1);"));
        var result = TestNotebooks.Run(path);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Equal("42\n", TestNotebooks.Text(result.Notebook.Cells[1], "stream", "stdout"));
    }

    [Fact]
    public void FormatsValuesWithTheKernelsFormatters()
    {
        // Records show as the kernel's tree view; a DataFrame (what notebooks use for tables) through
        // Microsoft.Data.Analysis's kernel extension, as a table with one column per field.
        var path = TestNotebooks.Write(_temp.NewFolder(),
            TestNotebooks.Code("record Score(string Name, double Accuracy);\nvar scores = new[] { new Score(\"a\", 0.5), new Score(\"b\", 0.25) };\nscores"),
            TestNotebooks.Code(TestNotebooks.KitReferences + "\n#r \"nuget: Microsoft.Data.Analysis, 0.23.1\"\nEnsembleKit.Plotting.Tables.ToDataFrame(scores)"));
        var result = TestNotebooks.Run(path);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Contains("Score { Name = b, Accuracy = 0.25 }", TestNotebooks.Text(result.Notebook.Cells[0], "execute_result", "text/html"));
        var table = TestNotebooks.Text(result.Notebook.Cells[1], "execute_result", "text/html");
        Assert.Contains("<th>Name</th><th>Accuracy</th>", table);
        Assert.Contains("0.25", table);
        Assert.DoesNotContain("Score {", table); // fields as columns, not records as text
    }

    [Fact]
    public void SkipsMarkdownMagicCellsAndAppliesCarriageReturns()
    {
        var path = TestNotebooks.Write(_temp.NewFolder(),
            TestNotebooks.Code("#!markdown\n# not code { at all"),
            TestNotebooks.Code("#!csharp\nConsole.Write(\"10%\\r50%\\r100%\\n\");"));
        var result = TestNotebooks.Run(path);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Null(result.Notebook.Cells[0].Json["execution_count"]);
        Assert.Empty(result.Notebook.Cells[0].Outputs);
        Assert.Equal("100%\n", TestNotebooks.Text(result.Notebook.Cells[1], "stream", "stdout"));
    }

    [Fact]
    public void AFailingCellStopsTheRunAndIsNamed()
    {
        var path = TestNotebooks.Write(_temp.NewFolder(),
            TestNotebooks.Code("var ok = 1;"),
            TestNotebooks.Markdown("between"),
            TestNotebooks.Code("var boom = ok;\nthrow new InvalidOperationException(\"the claim does not hold\");"),
            TestNotebooks.Code("Console.WriteLine(\"must not run\");"));
        var result = TestNotebooks.Run(path);
        var failure = Assert.IsType<CellFailure>(result.Failure);
        Assert.Equal(3, failure.CellNumber);
        Assert.Equal("var boom = ok;", failure.FirstLine);
        Assert.Contains("cell 3 of 4", failure.ToString());
        var error = result.Notebook.Cells[2].Outputs.OfType<JsonObject>().Single(o => o["output_type"]!.GetValue<string>() == "error");
        Assert.Equal("InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("the claim does not hold", error["evalue"]!.GetValue<string>());
        Assert.Null(result.Notebook.Cells[3].Json["execution_count"]);
        Assert.Empty(result.Notebook.Cells[3].Outputs);
        Assert.Empty(NbformatValidator.Problems(result.Notebook.ToJson()));
    }

    [Fact]
    public void AfterAFailureTheCellsThatDidNotRunKeepTheirOutputs()
    {
        var path = TestNotebooks.Write(_temp.NewFolder(),
            TestNotebooks.Executed("var ok = 1;", 1, "committed 1\n"),
            TestNotebooks.Executed("throw new InvalidOperationException(\"fails now\");", 2, "committed 2\n"),
            TestNotebooks.Executed("Console.WriteLine(\"never\");", 3, "committed 3\n"));
        var result = TestNotebooks.Run(path);
        Assert.Equal(2, result.Failure?.CellNumber);
        var cells = result.Notebook.Cells;
        Assert.Empty(cells[0].Outputs); // ran: its outputs are this run's
        Assert.Contains("fails now", cells[1].Outputs.ToJsonString());
        Assert.DoesNotContain("committed 2", cells[1].Outputs.ToJsonString());
        Assert.Equal("committed 3\n", TestNotebooks.Text(cells[2], "stream", "stdout")); // did not run: kept
        Assert.Equal(3, cells[2].Json["execution_count"]!.GetValue<int>());
        Assert.Empty(NbformatValidator.Problems(result.Notebook.ToJson()));
    }

    [Fact]
    public void CompileErrorsNameTheLineOfTheCell()
    {
        var path = TestNotebooks.Write(_temp.NewFolder(), TestNotebooks.Code("#r \"nuget: Plotly.NET, 6.0.0\"\nvar a = 1;\nvar b = undefinedName;"));
        var result = TestNotebooks.Run(path);
        Assert.NotNull(result.Failure);
        Assert.Equal("CompilationError", result.Failure!.ErrorName);
        Assert.Contains("error CS0103", result.Failure.ErrorMessage);
        Assert.Contains("undefinedName", result.Failure.ErrorMessage);
    }

    [Theory]
    [InlineData("#r \"nuget: Plotly.NET, 5.0.0\"", "does not match the pinned version 6.0.0")]
    [InlineData("#r \"nuget: Newtonsoft.Json, 13.0.3\"", "is not pinned")]
    [InlineData("#r \"nuget: TorchSharp-cpu\"", "has no version")]
    public void NugetLinesAreCheckedAgainstRequirements(string line, string message)
    {
        var path = TestNotebooks.Write(_temp.NewFolder(), TestNotebooks.Code(line + "\nvar a = 1;"));
        var result = TestNotebooks.Run(path);
        Assert.NotNull(result.Failure);
        Assert.Contains(message, result.Failure!.ErrorMessage);
    }

    [Fact]
    public void AMissingAssemblyReferenceFailsNamingTheFile()
    {
        var missing = TestNotebooks.Write(_temp.NewFolder(), TestNotebooks.Code("#r \"no/such/Other.dll\"\nvar a = 1;"));
        var failed = TestNotebooks.Run(missing);
        Assert.Contains("no/such/Other.dll", failed.Failure!.ErrorMessage);
    }

    [Fact]
    public void UsesOnlyTheKernelsImports()
    {
        // The kernel imports System, System.Text, System.Collections(.Generic), System.Threading.Tasks and System.Linq,
        // not System.IO: a cell that needs Path without a using fails here as it does in VS Code and Jupyter.
        var path = TestNotebooks.Write(_temp.NewFolder(),
            TestNotebooks.Code("var joined = Path.Combine(\"a\", \"b\");"),
            TestNotebooks.Code("var sb = new StringBuilder(); var list = new List<int> { 1 }.Select(i => i).ToList();"));
        var failed = TestNotebooks.Run(path);
        Assert.Equal(1, failed.Failure!.CellNumber);
        Assert.Contains("error CS0103: The name 'Path' does not exist", failed.Failure.ErrorMessage);

        var fixedPath = TestNotebooks.Write(_temp.NewFolder(),
            TestNotebooks.Code("using System.IO;"),
            TestNotebooks.Code("var joined = Path.Combine(\"a\", \"b\");\nvar sb = new StringBuilder(joined);\nsb.ToString()"));
        var ok = TestNotebooks.Run(fixedPath);
        Assert.True(ok.Succeeded, ok.Failure?.ToString()); // a using in one cell holds for the later ones
        Assert.Contains("a/b", TestNotebooks.Text(ok.Notebook.Cells[1], "execute_result", "text/plain"));
    }

    [Fact]
    public void ChartsShowThroughPlotlyNetInteractivesFormatter()
    {
        var path = TestNotebooks.Write(_temp.NewFolder(), TestNotebooks.Code(TestNotebooks.KitReferences +
            "\nvar h = new EnsembleKit.Training.TrainingHistory(\"member 1\");\nh.Add(new EnsembleKit.Training.EpochRecord(0, 1.0, 0.1, 1));\nEnsembleKit.Plotting.Charts.TrainingCurves(new[] { h })"));
        var result = TestNotebooks.Run(path);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        var html = TestNotebooks.Text(result.Notebook.Cells[0], "execute_result", "text/html");
        Assert.Contains("renderPlotly_", html);
        Assert.Contains("\"member 1\"", html); // the trace's name, in the figure's data
        Assert.True(html.Length < 50_000, $"a chart output should not carry plotly.js ({html.Length:N0} characters)");
    }
}
