using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EnsembleKit.Notebooks.Format;

/// <summary>
/// A Jupyter notebook (nbformat 4) held as its JSON tree, so fields the kit does not know survive a
/// round trip. <see cref="Cells"/> are views onto the tree's <c>cells</c> array.
/// </summary>
public sealed class Notebook
{
    public JsonObject Root { get; }
    public string? Path { get; }

    Notebook(JsonObject root, string? path)
    {
        Root = root;
        Path = path;
    }

    public JsonArray CellArray => Root["cells"] as JsonArray ?? throw new InvalidDataException($"{Path ?? "notebook"}: 'cells' is missing or not an array.");

    public IReadOnlyList<NotebookCell> Cells => CellArray.Select((c, i) => new NotebookCell(c as JsonObject
        ?? throw new InvalidDataException($"{Path ?? "notebook"}: cell {i + 1} is not a JSON object."))).ToList();

    public JsonObject Metadata => Root["metadata"] as JsonObject ?? (JsonObject)(Root["metadata"] = new JsonObject());

    /// <summary>Reads an .ipynb file and checks its structure (<see cref="NotebookStructure"/>).</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not JSON or not an nbformat 4 notebook; the message names the file and the field.</exception>
    public static Notebook Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"notebook {path} does not exist.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses a notebook's JSON and checks its structure; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">Not JSON, or not an nbformat 4 notebook.</exception>
    public static Notebook Parse(string json, string? path = null)
    {
        var source = path ?? "notebook";
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"{source} is not valid JSON (line {e.LineNumber + 1}): {e.Message}", e); }
        NotebookStructure.Check(root, source);
        return new Notebook((JsonObject)root!, path);
    }

    /// <summary>
    /// Normalises to nbformat 4.5 (every cell has an id, code cells have outputs and execution_count)
    /// and serialises with Jupyter's line arrays; HTML in outputs stays readable (no \u003C escapes).
    /// </summary>
    public string ToJson()
    {
        Root["nbformat"] = 4;
        Root["nbformat_minor"] = 5;
        _ = Metadata;
        var seen = new HashSet<string>();
        int index = 0;
        foreach (var cell in Cells)
        {
            index++;
            var id = cell.Id;
            if (string.IsNullOrEmpty(id) || !seen.Add(id) || !System.Text.RegularExpressions.Regex.IsMatch(id, "^[a-zA-Z0-9_-]{1,64}$"))
            {
                id = $"cell-{index}";
                while (!seen.Add(id)) id += "x";
                cell.Json["id"] = id;
            }
            cell.Json["source"] = MultilineText.Write(cell.Source);
            if (cell.Json["metadata"] is null) cell.Json["metadata"] = new JsonObject();
            if (cell.IsCode)
            {
                if (cell.Json["outputs"] is null) cell.Json["outputs"] = new JsonArray();
                if (!cell.Json.ContainsKey("execution_count")) cell.Json["execution_count"] = null;
            }
            else
            {
                // nbformat: only code cells have outputs and an execution count.
                cell.Json.Remove("outputs");
                cell.Json.Remove("execution_count");
            }
        }
        return Root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>Writes the notebook atomically (temp file + rename).</summary>
    public void Save(string path) => Backend.AtomicFile.WriteAllText(path, ToJson());

    public Notebook Clone() => new((JsonObject)Root.DeepClone(), Path);
}
