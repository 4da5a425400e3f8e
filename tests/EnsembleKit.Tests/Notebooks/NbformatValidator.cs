using System.Text.Json.Nodes;

namespace EnsembleKit.Tests.Notebooks;

/// <summary>
/// Checks a notebook against the required fields of the nbformat 4 JSON schema (nbformat.v4.schema.json):
/// top level, cells by type, and the four output types. Returns the problems found (empty = valid).
/// </summary>
public static class NbformatValidator
{
    public static IReadOnlyList<string> Problems(string json)
    {
        var problems = new List<string>();
        var root = JsonNode.Parse(json) as JsonObject;
        if (root is null) return ["top level is not an object"];
        Require(root, "top level", problems, "nbformat", "nbformat_minor", "metadata", "cells");
        if (root["nbformat"]?.GetValue<int>() != 4) problems.Add("nbformat is not 4");
        int minor = root["nbformat_minor"]?.GetValue<int>() ?? -1;
        if (minor < 0) problems.Add("nbformat_minor is not a non-negative integer");
        if (root["metadata"] is not JsonObject) problems.Add("metadata is not an object");
        if (root["cells"] is not JsonArray cells) { problems.Add("cells is not an array"); return problems; }
        var ids = new HashSet<string>();
        for (int i = 0; i < cells.Count; i++)
        {
            var where = $"cell {i + 1}";
            if (cells[i] is not JsonObject cell) { problems.Add($"{where} is not an object"); continue; }
            var type = cell["cell_type"]?.GetValue<string>();
            Require(cell, where, problems, "cell_type", "metadata", "source");
            if (minor >= 5)
            {
                var id = cell["id"]?.GetValue<string>();
                if (id is null || !System.Text.RegularExpressions.Regex.IsMatch(id, "^[a-zA-Z0-9-_]+$") || id.Length > 64) problems.Add($"{where}: id missing or malformed");
                else if (!ids.Add(id)) problems.Add($"{where}: duplicate id {id}");
            }
            if (!IsMultiline(cell["source"])) problems.Add($"{where}: source is not a string or list of strings");
            if (cell["metadata"] is not JsonObject) problems.Add($"{where}: metadata is not an object");
            switch (type)
            {
                case "code":
                    Require(cell, where, problems, "outputs", "execution_count");
                    if (cell["execution_count"] is { } count && count.GetValueKind() != System.Text.Json.JsonValueKind.Number) problems.Add($"{where}: execution_count is not an integer or null");
                    if (cell["outputs"] is not JsonArray outputs) { problems.Add($"{where}: outputs is not an array"); break; }
                    foreach (var output in outputs) CheckOutput(output as JsonObject, where, problems);
                    break;
                case "markdown" or "raw":
                    if (cell.ContainsKey("outputs")) problems.Add($"{where}: a {type} cell must not have outputs");
                    break;
                default:
                    problems.Add($"{where}: unknown cell_type {type}");
                    break;
            }
        }
        return problems;
    }

    static void CheckOutput(JsonObject? output, string where, List<string> problems)
    {
        if (output is null) { problems.Add($"{where}: an output is not an object"); return; }
        var type = output["output_type"]?.GetValue<string>();
        switch (type)
        {
            case "stream":
                Require(output, $"{where} stream", problems, "name", "text");
                if (output["name"]?.GetValue<string>() is not ("stdout" or "stderr")) problems.Add($"{where}: stream name is not stdout/stderr");
                if (!IsMultiline(output["text"])) problems.Add($"{where}: stream text is not multiline text");
                break;
            case "display_data":
                Require(output, $"{where} display_data", problems, "data", "metadata");
                CheckMimeBundle(output["data"], where, problems);
                break;
            case "execute_result":
                Require(output, $"{where} execute_result", problems, "execution_count", "data", "metadata");
                CheckMimeBundle(output["data"], where, problems);
                break;
            case "error":
                Require(output, $"{where} error", problems, "ename", "evalue", "traceback");
                if (output["traceback"] is not JsonArray trace || trace.Any(l => l?.GetValueKind() != System.Text.Json.JsonValueKind.String))
                    problems.Add($"{where}: traceback is not a list of strings");
                break;
            default:
                problems.Add($"{where}: unknown output_type {type}");
                break;
        }
    }

    static void CheckMimeBundle(JsonNode? data, string where, List<string> problems)
    {
        if (data is not JsonObject bundle) { problems.Add($"{where}: data is not an object"); return; }
        foreach (var (mime, value) in bundle)
            if (!mime.Contains('/') || !IsMultiline(value)) problems.Add($"{where}: mime entry {mime} is not multiline text");
    }

    static bool IsMultiline(JsonNode? node) => node switch
    {
        JsonValue v => v.GetValueKind() == System.Text.Json.JsonValueKind.String,
        JsonArray a => a.All(l => l?.GetValueKind() == System.Text.Json.JsonValueKind.String),
        _ => false,
    };

    static void Require(JsonObject obj, string where, List<string> problems, params string[] keys)
    {
        foreach (var key in keys)
            if (!obj.ContainsKey(key)) problems.Add($"{where}: required field '{key}' is missing");
    }
}
