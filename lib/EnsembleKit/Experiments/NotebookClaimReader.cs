using System.Text.Json;
using System.Text.RegularExpressions;

namespace EnsembleKit.Experiments;

/// <summary>
/// Reads the claim verdicts out of an executed notebook's outputs (nbformat 4 JSON): the <c>claim-verdict:</c> lines
/// that <see cref="VerdictLedger"/> prints. An error output that is not a claim means the notebook failed to run, and
/// the notebook gets a row saying so.
/// </summary>
public static class NotebookClaimReader
{
    static readonly Regex ScaleAssignment = new(@"\bscale\s*=\s*""(?<scale>[^""]+)""", RegexOptions.CultureInvariant);

    /// <summary>The ledger rows of one notebook, in the order its outputs print them.</summary>
    /// <param name="notebook">The notebook's file name.</param>
    /// <param name="json">The notebook's nbformat 4 JSON.</param>
    public static IReadOnlyList<LedgerRow> Read(string notebook, string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(notebook);
        using var document = ParseNotebook(notebook, json);
        var root = document.RootElement;
        var rows = new List<LedgerRow>();
        string? failure = null;

        foreach (var (text, error) in OutputLines(root))
        {
            if (ClaimVerdict.TryParseLine(text) is { } verdict)
            {
                string checkedHere = verdict.PrintedOnly ? verdict.Why + " (printed, not enforced)" : verdict.Why;
                rows.Add(new LedgerRow(verdict.Id, verdict.Experiment, notebook, checkedHere, verdict.Scale, verdict.PaperValue, verdict.KitValue,
                    LedgerRow.From(verdict.Verdict)));
            }
            // VerdictLedger.Enforce's exception repeats verdicts already printed; any other error stopped the run.
            else if (error is not null && !error.Contains("ClaimFailedException", StringComparison.Ordinal))
                failure ??= $"{error}: {text.Trim()}";
        }

        if (failure is not null)
            rows.Add(new LedgerRow(null, "whole notebook", notebook, "the notebook's run", NotebookScale(root), "—", failure, LedgerVerdict.FailedToRun));
        return rows;
    }

    static JsonDocument ParseNotebook(string notebook, string json)
    {
        try { return JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"{notebook}: not a notebook's JSON ({e.Message}).", e); }
    }

    /// <summary>The scale the notebook ran at: kit run's metadata, else the injected or the default parameters cell.</summary>
    static string NotebookScale(JsonElement root)
    {
        if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("ensemblekit", out var run) && run.ValueKind == JsonValueKind.Object
            && run.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("scale", out var scale) && scale.ValueKind == JsonValueKind.String)
            return scale.GetString()!;
        foreach (var tag in new[] { "injected-parameters", "parameters" })
            foreach (var cell in Cells(root).Where(c => Tags(c).Contains(tag)))
                if (ScaleAssignment.Match(Text(cell, "source")) is { Success: true } m) return m.Groups["scale"].Value;
        return "?";
    }

    /// <summary>Every line the code cells printed, in order; error outputs give their message's lines with the error's name.</summary>
    static IEnumerable<(string Text, string? Error)> OutputLines(JsonElement root)
    {
        foreach (var cell in Cells(root))
        {
            if (!cell.TryGetProperty("cell_type", out var type) || type.GetString() != "code") continue;
            if (!cell.TryGetProperty("outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Array) continue;
            foreach (var output in outputs.EnumerateArray())
            {
                string kind = output.TryGetProperty("output_type", out var k) ? k.GetString() ?? "" : "";
                if (kind == "stream")
                    foreach (var line in Text(output, "text").Split('\n')) yield return (line, null);
                else if (kind == "error")
                {
                    string name = output.TryGetProperty("ename", out var e) ? e.GetString() ?? "error" : "error";
                    var lines = Text(output, "evalue").Split('\n');
                    yield return (lines[0], name); // the message's first line says what failed
                }
            }
        }
    }

    static IEnumerable<JsonElement> Cells(JsonElement root) =>
        root.TryGetProperty("cells", out var cells) && cells.ValueKind == JsonValueKind.Array ? cells.EnumerateArray() : [];

    static IEnumerable<string> Tags(JsonElement cell) =>
        cell.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty("tags", out var tags)
            && tags.ValueKind == JsonValueKind.Array ? tags.EnumerateArray().Select(t => t.GetString() ?? "") : [];

    /// <summary>An nbformat multiline string: a string or an array of strings.</summary>
    static string Text(JsonElement element, string property) =>
        !element.TryGetProperty(property, out var value) ? ""
        : value.ValueKind == JsonValueKind.String ? value.GetString()!
        : value.ValueKind == JsonValueKind.Array ? string.Concat(value.EnumerateArray().Select(s => s.GetString()))
        : "";
}
