using System.Text.Json;
using System.Text.Json.Nodes;

namespace EnsembleKit.Notebooks.Format;

/// <summary>
/// Checks, once when a notebook is read, that every field the kit reads has the type nbformat 4 gives it, so that a
/// malformed file is one <see cref="InvalidDataException"/> naming the file and the field rather than a JSON type error
/// later, wherever the field happens to be read. Fields the kit does not read are left alone (they round-trip as they are).
/// </summary>
public static class NotebookStructure
{
    static readonly string[] CellTypes = ["code", "markdown", "raw"];

    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="source"/> (the file) and the offending field.</summary>
    public static void Check(JsonNode? root, string source)
    {
        if (root is not JsonObject notebook) throw Problem(source, "the top level must be a JSON object");
        var major = notebook["nbformat"];
        if (major is null) throw Problem(source, "'nbformat' is missing; EnsembleKit reads nbformat 4");
        if (!IsInteger(major)) throw Problem(source, $"'nbformat' must be an integer, found {Show(major)}");
        if (major.GetValue<long>() != 4) throw Problem(source, $"nbformat {major.ToJsonString()} is not supported; EnsembleKit reads nbformat 4");
        if (notebook["nbformat_minor"] is { } minor && !IsInteger(minor)) throw Problem(source, $"'nbformat_minor' must be an integer, found {Show(minor)}");
        Object(notebook, "metadata", source, "", "");
        if (notebook["cells"] is not JsonArray cells) throw Problem(source, $"'cells' must be an array, found {Show(notebook["cells"])}");
        for (int i = 0; i < cells.Count; i++) CheckCell(cells[i], source, $"cell {i + 1}: ");
    }

    static void CheckCell(JsonNode? node, string source, string where)
    {
        if (node is not JsonObject cell) throw Problem(source, $"{where}must be a JSON object, found {Show(node)}");
        var type = cell["cell_type"];
        if (type is null || !IsString(type) || !CellTypes.Contains(type.GetValue<string>()))
            throw Problem(source, $"{where}'cell_type' must be \"code\", \"markdown\" or \"raw\", found {Show(type)}");
        String(cell, "id", source, where, "");
        Multiline(cell, "source", source, where, "");
        if (Object(cell, "metadata", source, where, "") is { } metadata)
        {
            if (metadata["tags"] is { } tags && (tags is not JsonArray list || !list.All(t => t is not null && IsString(t))))
                throw Problem(source, $"{where}'metadata.tags' must be an array of strings, found {Show(tags)}");
            if (Object(metadata, "polyglot_notebook", source, where, "metadata.") is { } polyglot) String(polyglot, "kernelName", source, where, "metadata.polyglot_notebook.");
            if (Object(metadata, "dotnet_interactive", source, where, "metadata.") is { } interactive) String(interactive, "language", source, where, "metadata.dotnet_interactive.");
            if (Object(metadata, "ensemblekit", source, where, "metadata.") is { } kit && kit["wall_seconds"] is { } seconds && seconds.GetValueKind() != JsonValueKind.Number)
                throw Problem(source, $"{where}'metadata.ensemblekit.wall_seconds' must be a number, found {Show(seconds)}");
        }
        if (type.GetValue<string>() != "code") return;
        if (cell["execution_count"] is { } count && !IsInteger(count))
            throw Problem(source, $"{where}'execution_count' must be an integer or null, found {Show(count)}");
        if (cell["outputs"] is { } outputs)
        {
            if (outputs is not JsonArray list) throw Problem(source, $"{where}'outputs' must be an array, found {Show(outputs)}");
            for (int j = 0; j < list.Count; j++) CheckOutput(list[j], source, $"{where}output {j + 1}: ");
        }
    }

    /// <summary>The fields of an output that the runner and the HTML report read.</summary>
    static void CheckOutput(JsonNode? node, string source, string where)
    {
        if (node is not JsonObject output) throw Problem(source, $"{where}must be a JSON object, found {Show(node)}");
        if (output["output_type"] is not { } type || !IsString(type))
            throw Problem(source, $"{where}'output_type' must be a string, found {Show(output["output_type"])}");
        switch (type.GetValue<string>())
        {
            case "stream":
                String(output, "name", source, where, "");
                Multiline(output, "text", source, where, "");
                break;
            case "display_data" or "execute_result":
                if (Object(output, "data", source, where, "") is { } data)
                    foreach (var mime in new[] { "text/plain", "text/html" }) Multiline(data, mime, source, where, "data.");
                if (output["execution_count"] is { } count && !IsInteger(count))
                    throw Problem(source, $"{where}'execution_count' must be an integer or null, found {Show(count)}");
                break;
            case "error":
                if (output["traceback"] is { } trace && (trace is not JsonArray lines || !lines.All(l => l is not null && IsString(l))))
                    throw Problem(source, $"{where}'traceback' must be an array of strings, found {Show(trace)}");
                break;
        }
    }

    // The checks of one field: where names the cell and output ("cell 2: output 1: "), path the field's parents ("metadata.").

    static JsonObject? Object(JsonObject parent, string field, string source, string where, string path) => parent[field] switch
    {
        null => null,
        JsonObject value => value,
        var other => throw Problem(source, $"{where}'{path}{field}' must be a JSON object, found {Show(other)}"),
    };

    static void String(JsonObject parent, string field, string source, string where, string path)
    {
        if (parent[field] is { } value && !IsString(value)) throw Problem(source, $"{where}'{path}{field}' must be a string, found {Show(value)}");
    }

    /// <summary>nbformat's multiline string (see <see cref="MultilineText"/>): a string or an array of strings.</summary>
    static void Multiline(JsonObject parent, string field, string source, string where, string path)
    {
        if (parent[field] is not { } value) return;
        if (IsString(value) || value is JsonArray lines && lines.All(l => l is not null && IsString(l))) return;
        throw Problem(source, $"{where}'{path}{field}' must be a string or an array of strings, found {Show(value)}");
    }

    static bool IsString(JsonNode node) => node.GetValueKind() == JsonValueKind.String;

    static bool IsInteger(JsonNode node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && (value.TryGetValue<long>(out _) || value.TryGetValue<int>(out _));

    /// <summary>The offending value as JSON, shortened.</summary>
    static string Show(JsonNode? node)
    {
        if (node is null) return "nothing";
        var json = node.ToJsonString();
        return json.Length <= 40 ? json : json[..37] + "...";
    }

    static InvalidDataException Problem(string source, string message) => new($"{source}: {message}.");
}
