using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using EnsembleKit.Notebooks.Display;
using EnsembleKit.Notebooks.Format;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace EnsembleKit.Notebooks.Execution;

/// <summary>
/// Runs a Polyglot (.ipynb) notebook headless, like the Polyglot C# kernel: C# code cells in order with
/// one shared Roslyn script state, <c>#r "nuget:"</c> lines checked against requirements-dotnet.txt and
/// served by the kit's own loaded packages, <c>#r "path.dll"</c>, <c>#!csharp</c>/<c>#!markdown</c> magics,
/// <c>display(x)</c> and the cell's trailing expression. Stops at the first failing cell.
/// </summary>
public static class NotebookRunner
{
    // Console.SetOut/SetError are process-wide: one notebook runs at a time per process.
    static readonly object s_consoleGate = new();

    /// <summary>Runs <paramref name="source"/> (left unchanged) and returns an executed copy with outputs.</summary>
    public static RunResult Run(Notebook source, RunOptions? options = null)
    {
        options ??= new RunOptions();
        lock (s_consoleGate) return RunLocked(source, options);
    }

    /// <summary>Loads and runs the notebook at <paramref name="path"/>.</summary>
    public static RunResult Run(string path, RunOptions? options = null) => Run(Notebook.Load(path), options);

    static RunResult RunLocked(Notebook source, RunOptions options)
    {
        var clock = Stopwatch.StartNew();
        var notebook = source.Clone();
        ParameterInjection.Inject(notebook, options.Parameters);
        var folder = notebook.Path is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!;
        var requirements = options.RequirementsPath is { } p ? PackageRequirements.Load(p) : PackageRequirements.Find(folder);

        var cells = notebook.Cells;
        foreach (var cell in cells.Where(c => c.IsCode)) cell.ClearOutputs();

        var formatter = new DisplayFormatter();
        OutputCollector? current = null;
        var globals = new NotebookGlobals((value, mimeTypes) =>
            (current ?? throw new InvalidOperationException("display() was called outside a running cell."))
                .Add(Outputs.DisplayData(formatter.Format(value, mimeTypes))));
        var scriptOptions = ScriptOptions.Default
            .WithReferences(ScriptReferences.All)
            .WithImports(ScriptReferences.DefaultImports)
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithAllowUnsafe(true);
        ScriptState<object>? state = null;
        int executionCount = 0, executed = 0;
        CellFailure? failure = null;

        for (int i = 0; i < cells.Count && failure is null; i++)
        {
            var cell = cells[i];
            if (!cell.IsCode) continue;
            var parsed = CellSource.Parse(cell.Source, cell.KernelName);
            if (CellSource.IsMarkdown(parsed.Language)) continue;
            executionCount++;
            var collector = new OutputCollector
            {
                OnStreamText = options.EchoOutputs && options.Progress is { } echo ? (_, text) => echo.Write(text) : null,
            };
            current = collector;
            using var progress = new CellProgress(options, i + 1, cells.Count, cell.FirstLine);
            (string Name, string Message)? error = null;
            try
            {
                if (!CellSource.IsCSharp(parsed.Language))
                    throw new NotSupportedException($"the cell is for kernel '{parsed.Language}'; kit run executes C# cells only (and skips #!markdown cells).");
                foreach (var package in parsed.Packages) requirements.Require(package.Name, package.Version);
                foreach (var assembly in parsed.Assemblies) scriptOptions = Reference(scriptOptions, assembly, folder);

                bool trailingExpression = HasTrailingExpression(parsed.Code);
                var stdout = Console.Out;
                var stderr = Console.Error;
                Console.SetOut(collector.Writer("stdout"));
                Console.SetError(collector.Writer("stderr"));
                try
                {
                    state = state is null
                        ? CSharpScript.RunAsync(parsed.Code, scriptOptions, globals, typeof(NotebookGlobals)).GetAwaiter().GetResult()
                        : state.ContinueWithAsync(parsed.Code, scriptOptions).GetAwaiter().GetResult();
                }
                finally
                {
                    Console.Out.Flush();
                    Console.SetOut(stdout);
                    Console.SetError(stderr);
                }
                if (trailingExpression && state.ReturnValue is not null)
                    collector.Add(Outputs.ExecuteResult(formatter.Format(state.ReturnValue), executionCount));
                if (ParameterSummary(cell, parsed.Code, state) is { } summary)
                    collector.Writer("stdout").Write(summary);
            }
            catch (CompilationErrorException e)
            {
                var lines = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(Describe).ToList();
                collector.Add(Outputs.Error("CompilationError", lines.FirstOrDefault() ?? e.Message, lines));
                error = ("CompilationError", lines.FirstOrDefault() ?? e.Message);
            }
            catch (Exception e)
            {
                var inner = Unwrap(e);
                collector.Add(Outputs.Error(inner.GetType().Name, inner.Message, inner.ToString().Replace("\r\n", "\n").Split('\n')));
                error = (inner.GetType().Name, inner.Message);
            }
            finally
            {
                current = null;
            }

            progress.Finish(error is null);
            cell.Json["execution_count"] = executionCount;
            cell.Json["outputs"] = collector.ToOutputs();
            cell.Metadata["ensemblekit"] = new JsonObject { ["wall_seconds"] = Math.Round(progress.Seconds, 3) };
            executed++;
            if (error is { } err) failure = new CellFailure(i + 1, cells.Count, cell.FirstLine, err.Name, err.Message);
        }

        var parameters = new JsonObject();
        foreach (var (name, value) in options.Parameters) parameters[name] = value;
        notebook.Metadata["ensemblekit"] = new JsonObject
        {
            ["parameters"] = parameters,
            ["wall_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["succeeded"] = failure is null,
            ["failed_cell"] = failure?.CellNumber,
        };
        return new RunResult(notebook, executed, clock.Elapsed.TotalSeconds, failure);
    }

    /// <summary>A <c>#r "path"</c>: the kit's own assemblies are already referenced; any other file is added.</summary>
    static ScriptOptions Reference(ScriptOptions options, AssemblyDirective directive, string folder)
    {
        var name = Path.GetFileNameWithoutExtension(directive.Path);
        if (ScriptReferences.KitAssemblyNames.Contains(name)) return options;
        var full = Path.GetFullPath(Path.Combine(folder, directive.Path));
        if (!File.Exists(full))
            throw new FileNotFoundException($"#r \"{directive.Path}\" (line {directive.Line}): {full} does not exist.", full);
        Assembly.LoadFrom(full);
        return options.AddReferences(MetadataReference.CreateFromFile(full));
    }

    /// <summary>True when the cell ends in an expression without a semicolon (its value is the cell's result).</summary>
    public static bool HasTrailingExpression(string code)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script)).GetRoot();
        return root.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } };
    }

    static string Describe(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        return $"(line {span.StartLinePosition.Line + 1}, column {span.StartLinePosition.Character + 1}): error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// What a parameters cell leaves in force, read back from the script state after it ran: the defaults of the
    /// tagged <c>parameters</c> cell and the values of the <c>injected-parameters</c> cell, so the executed notebook
    /// shows the scale it ran at. Null for other cells.
    /// </summary>
    static string? ParameterSummary(NotebookCell cell, string code, ScriptState<object> state)
    {
        bool defaults = cell.HasTag(NotebookConventions.ParametersTag);
        if (!defaults && !cell.HasTag(NotebookConventions.InjectedParametersTag)) return null;
        var values = ParameterInjection.Declared(code).Keys
            .Select(name => state.GetVariable(name) is { } v ? $"{name} = {(v.Value is string text ? $"\"{text}\"" : Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture))}" : null)
            .OfType<string>().ToList();
        if (values.Count == 0) return null;
        return (defaults ? "defaults: " : "in force (kit run -p): ") + string.Join(", ", values) + "\n";
    }

    static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or TargetInvocationException && e.InnerException is not null) e = e.InnerException!;
        return e;
    }
}
