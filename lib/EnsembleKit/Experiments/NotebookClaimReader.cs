using System.Text.Json;
using System.Text.RegularExpressions;

namespace EnsembleKit.Experiments;

/// <summary>
/// Reads the claim verdicts out of an executed notebook's outputs (nbformat 4 JSON): <c>claim-verdict:</c> lines as
/// they are, the human <c>Claim ... at scale ...</c> lines and the printed checks through <see cref="NotebookClaimMap"/>.
/// An error output that is not a claim means the notebook failed to run: the checks it did not reach say so.
/// </summary>
public static class NotebookClaimReader
{
    // What Claim.Check and ClaimLedger.Check print (and throw, as ClaimFailedException's message), at every scale:
    // "Claim holds at scale 'cpu': ...", "Claim DOES NOT HOLD (enforced at the end) at scale 'cpu': ...",
    // "Claim does not hold at scale 'smoke' (not enforced: ...): ...".
    static readonly Regex ClaimLine = new(@"^Claim (?<verdict>holds|does not hold|DOES NOT HOLD)(?: \([^)]*\))? at scale '(?<scale>[^']+)'(?: \([^)]*\))?: (?<rest>.+)$",
        RegexOptions.CultureInvariant);

    static readonly Regex ScaleAssignment = new(@"\bscale\s*=\s*""(?<scale>[^""]+)""", RegexOptions.CultureInvariant);

    /// <summary>The ledger rows of one notebook, in the order its outputs print them.</summary>
    /// <param name="notebook">The notebook's file name (as <see cref="NotebookClaimMap"/> names it).</param>
    /// <param name="json">The notebook's nbformat 4 JSON.</param>
    public static IReadOnlyList<LedgerRow> Read(string notebook, string json) =>
        Read(notebook, json, NotebookClaimMap.ClaimLines, NotebookClaimMap.PrintedChecks);

    /// <inheritdoc cref="Read(string, string)"/>
    public static IReadOnlyList<LedgerRow> Read(string notebook, string json,
        IReadOnlyList<MappedClaimLine> claimLines, IReadOnlyList<MappedPrintedCheck> printedChecks)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(notebook);
        using var document = ParseNotebook(notebook, json);
        var root = document.RootElement;
        string scale = NotebookScale(root);
        var lineChecks = claimLines.Where(c => c.Notebook == notebook).ToList();
        var printed = printedChecks.Where(c => c.Notebook == notebook).ToList();
        var matchedLines = new HashSet<MappedClaimLine>();
        var matchedPrints = new HashSet<MappedPrintedCheck>();
        var rows = new List<LedgerRow>();
        string? failure = null;

        foreach (var (text, error) in OutputLines(root))
        {
            if (ClaimVerdict.TryParseLine(text) is { } verdict)
            {
                rows.Add(new LedgerRow(verdict.Id, null, notebook, verdict.Why, verdict.Scale, verdict.PaperValue, verdict.KitValue,
                    LedgerRow.From(verdict.Verdict)));
                continue;
            }
            if (ClaimLine.Match(text.Trim()) is { Success: true } m)
            {
                var (statement, measured) = SplitMeasured(m.Groups["rest"].Value);
                var entry = lineChecks.FirstOrDefault(c => statement.Contains(c.Statement, StringComparison.Ordinal));
                if (entry is not null) matchedLines.Add(entry);
                rows.Add(new LedgerRow(entry?.ClaimId, entry is null ? "unmapped" : entry.Experiment, notebook, statement, m.Groups["scale"].Value,
                    Paper(entry?.ClaimId), measured, m.Groups["verdict"].Value == "holds" ? LedgerVerdict.Held : LedgerVerdict.Failed));
                continue;
            }
            if (error is not null)
            {
                // ClaimLedger.Enforce's summary repeats claims already printed; any other error stopped the run.
                if (!error.Contains("ClaimFailedException", StringComparison.Ordinal)) failure ??= $"{error}: {text.Trim()}";
                continue;
            }
            foreach (var check in printed)
            {
                LedgerVerdict? found = Has(text, check.FailedText) ? LedgerVerdict.Failed
                    : Has(text, check.HeldText) ? LedgerVerdict.Held
                    : Has(text, check.MeasuredText) ? LedgerVerdict.NoVerdictYet : null;
                if (found is not { } v) continue;
                matchedPrints.Add(check);
                rows.Add(new LedgerRow(check.ClaimId, check.Experiment, notebook, check.Checked + " (printed, not enforced)", scale,
                    Paper(check.ClaimId), text.Trim(), v, v == LedgerVerdict.NoVerdictYet ? "measured only, the notebook prints no verdict" : null));
                break;
            }
        }

        // Checks the outputs never reached: the run stopped first (failed to run), or the map names a line that is not there.
        var missing = lineChecks.Where(c => !matchedLines.Contains(c)).Select(c => (c.ClaimId, c.Experiment, c.Statement))
            .Concat(printed.Where(c => !matchedPrints.Contains(c)).Select(c => (c.ClaimId, c.Experiment, Statement: c.Checked)))
            .DistinctBy(c => (c.ClaimId, c.Experiment, c.Statement)).ToList();
        foreach (var (claimId, experiment, statement) in missing)
            rows.Add(failure is null
                ? new LedgerRow(claimId, experiment, notebook, statement, scale, Paper(claimId), "—", LedgerVerdict.NoVerdictYet,
                    "the committed run does not print this check")
                : new LedgerRow(claimId, experiment, notebook, statement, scale, Paper(claimId), failure, LedgerVerdict.FailedToRun));
        if (failure is not null && missing.Count == 0)
            rows.Add(new LedgerRow(null, "whole notebook", notebook, "the notebook's run", scale, "—", failure, LedgerVerdict.FailedToRun));
        return rows;
    }

    static JsonDocument ParseNotebook(string notebook, string json)
    {
        try { return JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"{notebook}: not a notebook's JSON ({e.Message}).", e); }
    }

    static bool Has(string text, string? part) => part is not null && text.Contains(part, StringComparison.Ordinal);

    static string Paper(int? claimId) => claimId is { } id ? ClaimCatalog.Get(id).PaperValue : "—";

    /// <summary>"statement (measured)" → both parts, the measured part being the last balanced parenthesis.</summary>
    internal static (string Statement, string Measured) SplitMeasured(string rest)
    {
        var text = rest.Trim();
        if (text.EndsWith('.')) text = text[..^1];
        if (!text.EndsWith(')')) return (text, "");
        int depth = 0;
        for (int i = text.Length - 1; i >= 0; i--)
        {
            if (text[i] == ')') depth++;
            else if (text[i] == '(' && --depth == 0)
                return i == 0 ? (text, "") : (text[..i].TrimEnd(), text[(i + 1)..^1]);
        }
        return (text, "");
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
