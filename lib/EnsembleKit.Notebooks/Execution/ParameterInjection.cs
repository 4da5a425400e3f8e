using System.Globalization;
using System.Text.RegularExpressions;
using EnsembleKit.Notebooks.Format;

namespace EnsembleKit.Notebooks.Execution;

/// <summary>
/// Papermill-style parameters: the cell tagged <c>parameters</c> holds defaults (<c>var scale = "cpu";</c>);
/// values given with <c>-p name=value</c> go into a new cell tagged <c>injected-parameters</c> right after it,
/// typed like the default (int, long, double, bool or string). A value equal to its default is checked but not injected,
/// so a run at the notebook's own defaults (<c>-p scale=cpu</c> on a notebook that says <c>"cpu"</c>) adds no cell.
/// </summary>
public static class ParameterInjection
{
    static readonly Regex Declaration = new(@"^\s*(?<type>var|int|long|double|float|bool|string)\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?<value>[^;]+);", RegexOptions.Multiline);

    /// <summary>The parameters a cell declares: name to C# type (int, long, double, float, bool, string).</summary>
    public static IReadOnlyDictionary<string, string> Declared(string source)
    {
        var result = new Dictionary<string, string>();
        foreach (Match m in Declaration.Matches(source))
        {
            var type = m.Groups["type"].Value;
            if (type == "var") type = InferType(m.Groups["value"].Value.Trim());
            result[m.Groups["name"].Value] = type;
        }
        return result;
    }

    static string InferType(string literal) =>
        literal.StartsWith('"') || literal.StartsWith("@\"", StringComparison.Ordinal) ? "string"
        : literal is "true" or "false" ? "bool"
        : Regex.IsMatch(literal, @"^-?\d+[lL]$") ? "long"
        : Regex.IsMatch(literal, @"^-?\d+$") ? "int"
        : Regex.IsMatch(literal, @"^-?[\d.]+([eE][-+]?\d+)?[fF]$") ? "float"
        : Regex.IsMatch(literal, @"^-?[\d.]+([eE][-+]?\d+)?[dD]?$") ? "double"
        : "string";

    /// <summary>
    /// Removes a previous injected cell, then inserts one after the <c>parameters</c> cell with the values that differ
    /// from the defaults there. Throws <see cref="ArgumentException"/> when there is no parameters cell, a name is not
    /// declared there, or a value does not parse as the declared type. Returns the injected cell, or null when no value
    /// differs from its default.
    /// </summary>
    public static NotebookCell? Inject(Notebook notebook, IReadOnlyDictionary<string, string> values)
    {
        var cells = notebook.CellArray;
        for (int i = cells.Count - 1; i >= 0; i--)
            if (new NotebookCell((System.Text.Json.Nodes.JsonObject)cells[i]!).HasTag(NotebookConventions.InjectedParametersTag)) cells.RemoveAt(i);
        if (values.Count == 0) return null;

        var all = notebook.Cells;
        int index = all.ToList().FindIndex(c => c.IsCode && c.HasTag(NotebookConventions.ParametersTag));
        if (index < 0)
            throw new ArgumentException($"{notebook.Path ?? "the notebook"} has no cell tagged '{NotebookConventions.ParametersTag}', so -p {string.Join(", ", values.Keys)} cannot be applied.");
        var declared = Declared(all[index].Source);
        var defaults = DefaultLiterals(all[index].Source);
        var lines = new List<string> { "// Parameters injected by `kit run -p` (they override the cell above)." };
        foreach (var (name, raw) in values)
        {
            if (!declared.TryGetValue(name, out var type))
                throw new ArgumentException($"parameter '{name}' is not declared in the parameters cell (it declares: {(declared.Count == 0 ? "nothing" : string.Join(", ", declared.Keys))}).");
            var literal = Literal(name, type, raw);
            if (literal != defaults[name]) lines.Add($"{type} {name} = {literal};");
        }
        if (lines.Count == 1) return null;
        var cell = NotebookCell.NewCode(string.Join("\n", lines), NotebookConventions.InjectedParametersTag);
        cells.Insert(index + 1, cell.Json);
        return cell;
    }

    /// <summary>
    /// Each declared default as <see cref="Literal"/> would write it (<c>0.1</c> as <c>0.1d</c>), so a given value compares
    /// equal to it; a default that is not a plain literal (an escaped string, an expression) maps to null and never equals.
    /// </summary>
    static Dictionary<string, string?> DefaultLiterals(string source)
    {
        var result = new Dictionary<string, string?>();
        var declared = Declared(source);
        foreach (Match m in Declaration.Matches(source))
        {
            var (name, value) = (m.Groups["name"].Value, m.Groups["value"].Value.Trim());
            var type = declared[name];
            var raw = type == "string"
                ? (value.Length >= 2 && value[0] == '"' && value[^1] == '"' && !value[1..^1].Contains('\\') && !value[1..^1].Contains('"') ? value[1..^1] : null)
                : value.TrimEnd('l', 'L', 'd', 'D', 'f', 'F');
            try { result[name] = raw is null ? null : Literal(name, type, raw); }
            catch (ArgumentException) { result[name] = null; }
        }
        return result;
    }

    /// <summary>A C# literal of <paramref name="type"/> for the text <paramref name="raw"/>.</summary>
    public static string Literal(string name, string type, string raw)
    {
        var inv = CultureInfo.InvariantCulture;
        string Fail() => throw new ArgumentException($"parameter '{name}' is a {type}; '{raw}' is not a valid {type}.");
        return type switch
        {
            "int" => int.TryParse(raw, NumberStyles.Integer, inv, out var i) ? i.ToString(inv) : Fail(),
            "long" => long.TryParse(raw, NumberStyles.Integer, inv, out var l) ? l.ToString(inv) + "L" : Fail(),
            "double" => double.TryParse(raw, NumberStyles.Float, inv, out var d) && double.IsFinite(d) ? d.ToString("R", inv) + "d" : Fail(),
            "float" => float.TryParse(raw, NumberStyles.Float, inv, out var f) && float.IsFinite(f) ? f.ToString("R", inv) + "f" : Fail(),
            "bool" => bool.TryParse(raw, out var b) ? (b ? "true" : "false") : Fail(),
            _ => "\"" + raw.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r") + "\"",
        };
    }

    /// <summary>Parses <c>name=value</c> pairs (from <c>-p</c>); a later value for the same name wins.</summary>
    public static IReadOnlyDictionary<string, string> ParsePairs(IEnumerable<string> pairs)
    {
        var result = new Dictionary<string, string>();
        foreach (var pair in pairs)
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"parameter '{pair}' must look like name=value.");
            var name = pair[..eq].Trim();
            if (!Regex.IsMatch(name, "^[A-Za-z_][A-Za-z0-9_]*$")) throw new ArgumentException($"parameter name '{name}' is not a C# identifier.");
            result[name] = pair[(eq + 1)..];
        }
        return result;
    }
}
