using System.CommandLine;
using EnsembleKit.Backend;
using EnsembleKit.Notebooks.Execution;
using EnsembleKit.Notebooks.Format;
using EnsembleKit.Notebooks.Report;

namespace EnsembleKit.Cli.Commands;

/// <summary>
/// <c>kit run NOTEBOOK.ipynb [-p name=value ...] [--out|-o FILE.ipynb] [--html FILE.html] [--in-place] [--echo]</c>:
/// executes a notebook headless and writes its outputs. Exit codes: 0 ran, 1 a cell failed, 2 bad input.
/// </summary>
public static class RunCommand
{
    public static Command Build()
    {
        var command = new Command("run", "Execute a Polyglot (.ipynb) notebook headless, cell by cell, and write its outputs.");
        var notebook = new Argument<FileInfo>("notebook") { Description = "The .ipynb notebook to run." };
        var parameters = new Option<string[]>("--parameter", "-p")
        {
            Description = "name=value overriding the notebook's parameters cell (repeatable), e.g. -p scale=smoke.",
            AllowMultipleArgumentsPerToken = false,
        };
        var output = CommonOptions.OutputFile("--out", "-o", "Write the executed notebook here.");
        var inPlace = new Option<bool>("--in-place") { Description = "Write the executed notebook over the input (through symlinks; beside it, as .NAME.kit-run-TIME.ipynb, if it is edited during the run)." };
        var html = CommonOptions.OutputFile("--html", "Also write a standalone HTML report (charts work offline).");
        var echo = new Option<bool>("--echo") { Description = "Copy cells' stdout/stderr to the terminal as they run." };
        command.Arguments.Add(notebook);
        command.Options.Add(parameters);
        command.Options.Add(output);
        command.Options.Add(inPlace);
        command.Options.Add(html);
        command.Options.Add(echo);
        command.Validators.Add(result =>
        {
            // Checked while parsing, like --out and --html, so that no run is lost on an output it cannot write.
            if (!result.GetValue(inPlace)) return;
            if (result.GetValue(output) is not null) result.AddError("give either --out or --in-place, not both.");
            else if (result.GetValue(notebook) is { Exists: true } file && InPlaceTarget.WriteProblem(file.FullName) is { } problem)
                result.AddError($"--in-place: {problem}");
        });
        command.SetAction(parse => Execute(parse.GetValue(notebook)!, parse.GetValue(parameters) ?? [], parse.GetValue(output),
            parse.GetValue(inPlace), parse.GetValue(html), parse.GetValue(echo)));
        return command;
    }

    /// <summary>Runs the notebook and writes the outputs asked for (checked writable while parsing); returns the exit code.</summary>
    static int Execute(FileInfo notebookFile, string[] parameterPairs, FileInfo? output, bool inPlace, FileInfo? html, bool echo)
    {
        var log = Console.Error;
        RunResult result;
        InPlaceTarget? inPlaceTarget = null;
        bool writes = inPlace || output is not null;
        void Save(Notebook notebook)
        {
            if (inPlaceTarget is not null) inPlaceTarget.Save(notebook);
            else notebook.Save(output!.FullName);
        }
        try
        {
            Notebook source;
            if (inPlace) (inPlaceTarget, source) = InPlaceTarget.Load(notebookFile.FullName, log);
            else source = Notebook.Load(notebookFile.FullName);
            var options = new RunOptions
            {
                Parameters = ParameterInjection.ParsePairs(parameterPairs),
                Progress = log,
                ProgressIsTerminal = !Console.IsErrorRedirected,
                EchoOutputs = echo,
                // Saved (atomically) after every cell: a run killed in a long cell keeps the cells it finished.
                CellFinished = writes ? Save : null,
            };
            log.WriteLine($"kit run {notebookFile.Name}: {source.Cells.Count} cells{(options.Parameters.Count > 0 ? ", " + string.Join(" ", options.Parameters.Select(p => $"{p.Key}={p.Value}")) : "")}");
            result = NotebookRunner.Run(source, options);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or ArgumentException)
        {
            log.WriteLine($"kit run: {e.Message}");
            return 2;
        }

        if (writes)
        {
            Save(result.Notebook);
            log.WriteLine($"wrote {inPlaceTarget?.SavePath ?? output!.FullName}");
        }
        if (html is not null)
        {
            HtmlReport.Write(result.Notebook, html.FullName);
            log.WriteLine($"wrote {html.FullName}");
        }
        if (!writes && html is null) log.WriteLine("(no --out, --in-place or --html: outputs were not written)");

        if (result.Failure is { } failure)
        {
            log.WriteLine($"kit run: {failure}");
            return 1;
        }
        log.WriteLine($"kit run: {result.ExecutedCells} code cells ran in {result.WallSeconds:F1} s");
        return 0;
    }
}
