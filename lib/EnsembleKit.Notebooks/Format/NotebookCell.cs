using System.Text.Json.Nodes;

namespace EnsembleKit.Notebooks.Format;

/// <summary>A view onto one cell of a <see cref="Notebook"/>'s JSON (changes write through).</summary>
public sealed class NotebookCell
{
    public JsonObject Json { get; }

    public NotebookCell(JsonObject json) => Json = json;

    public string? Id => Json["id"]?.GetValue<string>();
    public string CellType => Json["cell_type"]?.GetValue<string>() ?? throw new InvalidDataException("a cell has no cell_type.");
    public bool IsCode => CellType == "code";
    public bool IsMarkdown => CellType == "markdown";

    public string Source
    {
        get => MultilineText.Read(Json["source"]);
        set => Json["source"] = MultilineText.Write(value);
    }

    public JsonObject Metadata => Json["metadata"] as JsonObject ?? (JsonObject)(Json["metadata"] = new JsonObject());

    public IReadOnlyList<string> Tags => (Metadata["tags"] as JsonArray)?.Select(t => t?.GetValue<string>() ?? "").ToList() ?? [];

    public bool HasTag(string tag) => Tags.Contains(tag);

    /// <summary>
    /// The Polyglot kernel this cell is for: <c>metadata.polyglot_notebook.kernelName</c>, else
    /// <c>metadata.dotnet_interactive.language</c>, else null (the notebook's default, C#).
    /// </summary>
    public string? KernelName =>
        Metadata["polyglot_notebook"]?["kernelName"]?.GetValue<string>() ?? Metadata["dotnet_interactive"]?["language"]?.GetValue<string>();

    /// <summary>The first non-blank line of the source, for messages.</summary>
    public string FirstLine => Source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(empty cell)";

    /// <summary>The cell's outputs (an empty, detached array for cells without any, e.g. markdown).</summary>
    public JsonArray Outputs => Json["outputs"] as JsonArray ?? [];

    public void ClearOutputs()
    {
        Json["outputs"] = new JsonArray();
        Json["execution_count"] = null;
    }

    /// <summary>A new code cell for C# with the given source and tags.</summary>
    public static NotebookCell NewCode(string source, params string[] tags)
    {
        var metadata = new JsonObject
        {
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
        };
        if (tags.Length > 0) metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode)t).ToArray());
        return new NotebookCell(new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = metadata,
            ["outputs"] = new JsonArray(),
            ["source"] = MultilineText.Write(source),
        });
    }
}
