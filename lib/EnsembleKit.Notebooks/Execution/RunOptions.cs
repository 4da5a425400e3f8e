using EnsembleKit.Notebooks.Format;

namespace EnsembleKit.Notebooks.Execution;

/// <summary>How <see cref="NotebookRunner"/> runs a notebook.</summary>
public sealed record RunOptions
{
    /// <summary>Parameter values (<c>-p name=value</c>), injected after the <c>parameters</c> cell.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Where progress lines go (cell i/n, elapsed time); null for silence. The CLI passes standard error.</summary>
    public TextWriter? Progress { get; init; }

    /// <summary>True when <see cref="Progress"/> is a terminal: the running cell's line is redrawn in place every second.</summary>
    public bool ProgressIsTerminal { get; init; }

    /// <summary>Seconds between "still running" lines for a long cell when <see cref="Progress"/> is not a terminal.</summary>
    public double HeartbeatSeconds { get; init; } = 15;

    /// <summary>Also copy each cell's stdout/stderr to <see cref="Progress"/> as it is written.</summary>
    public bool EchoOutputs { get; init; }

    /// <summary>The requirements file to check <c>#r "nuget:"</c> lines against; found above the notebook when null.</summary>
    public string? RequirementsPath { get; init; }

    /// <summary>
    /// Called after every code cell that ran, with the notebook so far: the cells that ran hold their new outputs, the
    /// others what they had, and <c>metadata.ensemblekit.last_cell_run</c> says how far the run got. <c>kit run</c> saves
    /// it, so a run killed in a long cell (Ctrl-C, a job's time limit) keeps every cell it finished.
    /// </summary>
    public Action<Notebook>? CellFinished { get; init; }
}
