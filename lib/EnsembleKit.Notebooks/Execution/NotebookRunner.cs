using System.Diagnostics;
using System.Text.Json.Nodes;
using EnsembleKit.Backend;
using EnsembleKit.Notebooks.Format;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using TorchSharp;

namespace EnsembleKit.Notebooks.Execution;

/// <summary>
/// Runs a Polyglot (.ipynb) notebook headless in the real .NET Interactive C# kernel, in this process
/// (<see cref="NotebookKernel"/>): code cells in order in one kernel, so <c>#r "nuget:"</c>, imports, formatters,
/// <c>display()</c> and errors are the kernel's own and a notebook that passes here passes in VS Code and Jupyter.
/// On top of the kernel: papermill-style parameters, <c>#r "nuget:"</c> lines checked against requirements-dotnet.txt,
/// per-cell progress and wall time, nbformat 4 outputs with execution counts, and a stop at the first failing cell.
/// The cells after a failing one keep the outputs they had (the notebook's <c>metadata.ensemblekit.failed_cell</c> says
/// where the run stopped).
/// </summary>
/// <remarks>
/// Notebooks are read and written with the kit's own <see cref="Notebook"/> (JSON nodes) rather than
/// Microsoft.DotNet.Interactive.Documents: that one maps a notebook onto its typed model and writes it back from the
/// model (it adds its kernel metadata to every cell and re-serialises outputs from its element types), while the kit's
/// round-trips every field it does not change, byte for byte, so a re-executed notebook's diff shows only its outputs.
/// </remarks>
public static class NotebookRunner
{
    // The kernel swaps Console.Out/Error and the working directory is process-wide: one notebook at a time.
    static readonly object s_gate = new();

    /// <summary>Runs <paramref name="source"/> (left unchanged) and returns an executed copy with outputs.</summary>
    public static RunResult Run(Notebook source, RunOptions? options = null)
    {
        options ??= new RunOptions();
        lock (s_gate) return RunLocked(source, options);
    }

    /// <summary>Loads and runs the notebook at <paramref name="path"/>.</summary>
    public static RunResult Run(string path, RunOptions? options = null) => Run(Notebook.Load(path), options);

    static RunResult RunLocked(Notebook source, RunOptions options)
    {
        var clock = Stopwatch.StartNew();
        var notebook = source.Clone();
        ParameterInjection.Inject(notebook, options.Parameters);
        // Relative #r paths resolve against the working directory, which Jupyter and VS Code set to the notebook's folder.
        var folder = notebook.Path is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!;
        var requirements = options.RequirementsPath is { } p ? PackageRequirements.Load(p) : PackageRequirements.Find(folder);

        var cells = notebook.Cells;
        int executionCount = 0, executed = 0;
        CellFailure? failure = null;
        var previousDirectory = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(folder);
        try
        {
            using var kernel = NotebookKernel.Create();
            for (int i = 0; i < cells.Count && failure is null; i++)
            {
                var cell = cells[i];
                if (!cell.IsCode) continue;
                // Cleared only when the run reaches it: after a failure, the cells that did not run keep their
                // previous outputs and execution counts (a failed --in-place run must not erase committed work).
                cell.ClearOutputs();
                var parsed = CellSource.Parse(cell.Source, cell.KernelName);
                if (CellSource.IsMarkdown(parsed.Language)) continue;
                executionCount++;
                var collector = new CellOutputs(executionCount)
                {
                    OnStreamText = options.EchoOutputs && options.Progress is { } echo ? (_, text) => echo.Write(text) : null,
                };
                using var progress = new CellProgress(options, i + 1, cells.Count, cell.FirstLine);
                var error = RunCell(kernel, cell, parsed, requirements, collector);
                progress.Finish(error is null);

                cell.Json["execution_count"] = executionCount;
                cell.Json["outputs"] = collector.ToOutputs();
                cell.Metadata["ensemblekit"] = new JsonObject { ["wall_seconds"] = Math.Round(progress.Seconds, 3) };
                executed++;
                if (error is { } err) failure = new CellFailure(i + 1, cells.Count, cell.FirstLine, err.Name, err.Message);
                if (options.CellFinished is { } finished && failure is null && i < cells.Count - 1)
                {
                    Stamp(notebook, options, clock, failure: null, lastCellRun: i + 1);
                    finished(notebook);
                }
            }
        }
        finally
        {
            Directory.SetCurrentDirectory(previousDirectory);
        }

        Stamp(notebook, options, clock, failure, lastCellRun: null);
        return new RunResult(notebook, executed, clock.Elapsed.TotalSeconds, failure);
    }

    /// <summary>The run's record in the notebook's metadata; <paramref name="lastCellRun"/> only while the run goes on.</summary>
    static void Stamp(Notebook notebook, RunOptions options, Stopwatch clock, CellFailure? failure, int? lastCellRun)
    {
        var parameters = new JsonObject();
        foreach (var (name, value) in options.Parameters) parameters[name] = value;
        var record = new JsonObject
        {
            ["parameters"] = parameters,
            ["wall_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["succeeded"] = lastCellRun is null && failure is null,
            ["failed_cell"] = failure?.CellNumber,
        };
        if (lastCellRun is int last) record["last_cell_run"] = last;
        // libtorch sums in another order with another thread count, so the last digits of a rerun depend on it.
        if (TorchRuntime.IsInitialized) record["threads"] = torch.get_num_threads();
        notebook.Metadata["ensemblekit"] = record;
    }

    /// <summary>Submits one cell to the kernel, turning its events into outputs; returns the error, if the cell failed.</summary>
    static (string Name, string Message)? RunCell(NotebookKernel kernel, NotebookCell cell, CellSource parsed, PackageRequirements requirements, CellOutputs outputs)
    {
        try
        {
            if (!CellSource.IsCSharp(parsed.Language))
                throw new NotSupportedException($"the cell is for kernel '{parsed.Language}'; kit run executes C# cells only (and skips #!markdown cells).");
            foreach (var package in parsed.Packages) requirements.Require(package.Name, package.Version);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidDataException or ArgumentException)
        {
            outputs.Add(Outputs.Error(e.GetType().Name, e.Message, [e.Message]));
            return (e.GetType().Name, e.Message);
        }

        CommandFailed? failed = null;
        using (kernel.Root.KernelEvents.Subscribe(new KernelEventObserver(e =>
        {
            if (e is CommandFailed f && f.Command is SubmitCode) failed ??= f;
            else outputs.Take(e);
        })))
        {
            kernel.Root.SendAsync(new SubmitCode(cell.Source, NotebookKernel.CSharpKernelName)).GetAwaiter().GetResult();
        }

        if (failed is null)
        {
            if (ParameterSummary(cell, kernel) is { } summary) outputs.Write("stdout", summary);
            return null;
        }
        var (name, message, trace) = Describe(failed);
        outputs.Add(Outputs.Error(name, message, trace));
        return (name, message);
    }

    /// <summary>The error of a failed cell as nbformat's ename / evalue / traceback.</summary>
    static (string Name, string Message, IReadOnlyList<string> Trace) Describe(CommandFailed failed)
    {
        var exception = failed.Exception;
        while (exception is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && exception.InnerException is not null)
            exception = exception.InnerException;
        if (exception is null or Microsoft.DotNet.Interactive.CodeSubmissionCompilationErrorException)
        {
            // Compile errors: the message holds the diagnostics, "(line,column): error CSxxxx: ...", one per line.
            var lines = (exception?.Message ?? failed.Message).ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var first = lines.FirstOrDefault(l => l.Contains("error", StringComparison.Ordinal)) ?? lines.FirstOrDefault() ?? failed.Message;
            return (exception is null ? "Error" : "CompilationError", first, lines);
        }
        return (exception.GetType().Name, exception.Message, exception.ToString().ReplaceLineEndings("\n").Split('\n'));
    }

    /// <summary>
    /// What a parameters cell leaves in force, read back from the kernel after it ran: the defaults of the tagged
    /// <c>parameters</c> cell and the values of the <c>injected-parameters</c> cell, so the executed notebook shows the
    /// scale it ran at. Null for other cells.
    /// </summary>
    static string? ParameterSummary(NotebookCell cell, NotebookKernel kernel)
    {
        bool defaults = cell.HasTag(NotebookConventions.ParametersTag);
        if (!defaults && !cell.HasTag(NotebookConventions.InjectedParametersTag)) return null;
        var values = ParameterInjection.Declared(cell.Source).Keys
            .Select(name => kernel.CSharp.TryGetValue<object>(name, out var v) && v is not null
                ? $"{name} = {(v is string text ? $"\"{text}\"" : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))}"
                : null)
            .OfType<string>().ToList();
        if (values.Count == 0) return null;
        return (defaults ? "defaults: " : "in force (kit run -p): ") + string.Join(", ", values) + "\n";
    }
}
