using System.Text.Json.Nodes;

namespace EnsembleKit.Notebooks.Format;

/// <summary>nbformat's "multiline string": a JSON string or an array of lines (each but the last ending in \n).</summary>
public static class MultilineText
{
    /// <summary>The text of a multiline string node (null or missing gives "").</summary>
    public static string Read(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue value => value.GetValue<string>(),
        _ => throw new InvalidDataException($"expected a string or an array of strings, found {node.ToJsonString()[..Math.Min(60, node.ToJsonString().Length)]}"),
    };

    /// <summary>Splits <paramref name="text"/> into the line array Jupyter writes (keeps the \n on every line but the last).</summary>
    public static JsonArray Write(string text)
    {
        var array = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline + 1;
            array.Add(text[start..end]);
            start = end;
        }
        return array;
    }
}
