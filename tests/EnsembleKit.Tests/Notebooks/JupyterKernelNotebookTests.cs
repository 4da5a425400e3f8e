using System.Text.Json.Nodes;
using EnsembleKit.Notebooks;
using EnsembleKit.Notebooks.Comparison;
using EnsembleKit.Notebooks.Format;

namespace EnsembleKit.Tests.Notebooks;

/// <summary>
/// Every notebook at smoke scale in the real .NET Interactive kernel (Jupyter's nbconvert, the kernel VS Code and
/// Jupyter users run), with no error output, printing the same numbers as <c>kit run</c>.
/// </summary>
public class JupyterKernelNotebookTests
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    [JupyterKernelTheory]
    [MemberData(nameof(TestNotebooks.All), MemberType = typeof(TestNotebooks))]
    public void RunsAtSmokeScaleInTheKernelPrintingWhatKitRunPrints(string notebook)
    {
        var path = Path.Combine(TestNotebooks.Repository, "notebooks", notebook);
        var executed = JupyterKernel.Run(path, new Dictionary<string, string> { ["scale"] = "smoke" }, Timeout);

        var codeCells = executed.Cells.Where(c => c.IsCode).ToList();
        foreach (var cell in codeCells)
            Assert.DoesNotContain(cell.Outputs.OfType<JsonObject>(), o => o["output_type"]?.GetValue<string>() == "error");
        Assert.All(codeCells, c => Assert.NotNull(c.Json["execution_count"]));
        Assert.Contains(executed.Cells, c => c.HasTag(NotebookConventions.InjectedParametersTag) && c.Source.Contains("\"smoke\""));

        var kitRun = TestNotebooks.Smoke(notebook);
        Assert.True(kitRun.Succeeded, kitRun.Failure?.ToString());
        Assert.Equal(Printed(kitRun.Notebook), Printed(executed));
    }

    /// <summary>
    /// What the cells print on stdout, cell by cell, with durations masked (they differ from run to run). Parameter
    /// cells are left out: kit run adds a line saying which values are in force.
    /// </summary>
    static List<string> Printed(Notebook notebook) => notebook.Cells
        .Where(c => c.IsCode && !c.HasTag(NotebookConventions.ParametersTag) && !c.HasTag(NotebookConventions.InjectedParametersTag))
        .Select(c => ShownOutput.MaskDurations(TestNotebooks.Text(c, "stream", "stdout").ReplaceLineEndings("\n")))
        .ToList();
}
