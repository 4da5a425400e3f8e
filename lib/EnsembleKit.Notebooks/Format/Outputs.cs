using System.Text.Json.Nodes;

namespace EnsembleKit.Notebooks.Format;

/// <summary>Builders for the four nbformat 4 output shapes.</summary>
public static class Outputs
{
    /// <summary><c>{"output_type": "stream", "name": "stdout"|"stderr", "text": [...]}</c>.</summary>
    public static JsonObject Stream(string name, string text) => new()
    {
        ["output_type"] = "stream",
        ["name"] = name,
        ["text"] = MultilineText.Write(text),
    };

    /// <summary><c>display_data</c>: a mime bundle (mime type to text) and empty metadata.</summary>
    public static JsonObject DisplayData(IReadOnlyDictionary<string, string> bundle) => new()
    {
        ["output_type"] = "display_data",
        ["data"] = Data(bundle),
        ["metadata"] = new JsonObject(),
    };

    /// <summary><c>execute_result</c>: the cell's trailing expression value, with the cell's execution count.</summary>
    public static JsonObject ExecuteResult(IReadOnlyDictionary<string, string> bundle, int executionCount) => new()
    {
        ["output_type"] = "execute_result",
        ["execution_count"] = executionCount,
        ["data"] = Data(bundle),
        ["metadata"] = new JsonObject(),
    };

    /// <summary><c>error</c>: exception name, message and traceback lines.</summary>
    public static JsonObject Error(string name, string value, IEnumerable<string> traceback) => new()
    {
        ["output_type"] = "error",
        ["ename"] = name,
        ["evalue"] = value,
        ["traceback"] = new JsonArray(traceback.Select(l => (JsonNode)l).ToArray()),
    };

    static JsonObject Data(IReadOnlyDictionary<string, string> bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, text) in bundle) data[mime] = MultilineText.Write(text);
        return data;
    }
}
