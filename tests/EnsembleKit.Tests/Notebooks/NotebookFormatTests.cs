using System.Text.Json.Nodes;
using EnsembleKit.Notebooks.Format;
using EnsembleKit.Tests.Cli;

namespace EnsembleKit.Tests.Notebooks;

/// <summary>
/// A malformed notebook is one <see cref="InvalidDataException"/> naming the file and the field, found when it is read,
/// and <c>kit run</c> reports it with exit code 2 (bad input).
/// </summary>
public class NotebookFormatTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A valid notebook of one executed code cell, changed by <paramref name="spoil"/> and saved; returns its path.</summary>
    string Write(Action<JsonObject> spoil)
    {
        var path = TestNotebooks.Write(_temp.NewFolder(), TestNotebooks.Executed("var x = 1;", 1, "1\n"), TestNotebooks.Markdown("# text"));
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        spoil(root);
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    static JsonObject Cell(JsonObject root, int index) => root["cells"]![index]!.AsObject();

    public static TheoryData<string, Action<JsonObject>, string> Spoiled => new()
    {
        { "nbformat is text", r => r["nbformat"] = "four", "'nbformat' must be an integer, found \"four\"" },
        { "nbformat 3", r => r["nbformat"] = 3, "nbformat 3 is not supported" },
        { "no nbformat", r => r.Remove("nbformat"), "'nbformat' is missing" },
        { "metadata is a list", r => r["metadata"] = new JsonArray(), "'metadata' must be a JSON object" },
        { "cells is an object", r => r["cells"] = new JsonObject(), "'cells' must be an array" },
        { "a cell is a number", r => r["cells"]!.AsArray().Add(7), "cell 3: must be a JSON object, found 7" },
        { "numeric source", r => Cell(r, 0)["source"] = 42, "cell 1: 'source' must be a string or an array of strings, found 42" },
        { "a numeric source line", r => Cell(r, 1)["source"] = new JsonArray("# a\n", 5), "cell 2: 'source' must be a string or an array of strings" },
        { "unknown cell type", r => Cell(r, 1)["cell_type"] = "heading", "cell 2: 'cell_type' must be \"code\", \"markdown\" or \"raw\", found \"heading\"" },
        { "numeric id", r => Cell(r, 0)["id"] = 1, "cell 1: 'id' must be a string, found 1" },
        { "tags of numbers", r => Cell(r, 0)["metadata"]!["tags"] = new JsonArray(1), "cell 1: 'metadata.tags' must be an array of strings" },
        { "numeric kernel name", r => Cell(r, 0)["metadata"]!["polyglot_notebook"]!["kernelName"] = 3, "cell 1: 'metadata.polyglot_notebook.kernelName' must be a string, found 3" },
        { "text execution count", r => Cell(r, 0)["execution_count"] = "1", "cell 1: 'execution_count' must be an integer or null, found \"1\"" },
        { "outputs is an object", r => Cell(r, 0)["outputs"] = new JsonObject(), "cell 1: 'outputs' must be an array" },
        { "numeric stream text", r => Cell(r, 0)["outputs"]![0]!["text"] = 1, "cell 1: output 1: 'text' must be a string or an array of strings, found 1" },
        { "numeric html", r => Cell(r, 0)["outputs"]!.AsArray().Add(new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/html"] = 1 } }), "cell 1: output 2: 'data.text/html' must be a string or an array of strings, found 1" },
        { "output without type", r => Cell(r, 0)["outputs"]![0]!.AsObject().Remove("output_type"), "cell 1: output 1: 'output_type' must be a string, found nothing" },
    };

    [Theory]
    [MemberData(nameof(Spoiled))]
    public void LoadNamesTheFileAndTheField(string what, Action<JsonObject> spoil, string message)
    {
        var path = Write(spoil);
        var e = Assert.Throws<InvalidDataException>(() => Notebook.Load(path));
        Assert.True(e.Message.StartsWith($"{path}: ", StringComparison.Ordinal) && e.Message.Contains(message, StringComparison.Ordinal),
            $"{what}: {e.Message}");
    }

    [Fact]
    public void ParseChecksTheSameAndNamesThePathGiven()
    {
        Assert.StartsWith("a.ipynb: 'nbformat' must be an integer", Assert.Throws<InvalidDataException>(() => Notebook.Parse("""{"nbformat": "four", "cells": []}""", "a.ipynb")).Message);
        Assert.StartsWith("notebook is not valid JSON", Assert.Throws<InvalidDataException>(() => Notebook.Parse("{")).Message);
        Assert.StartsWith("notebook: the top level must be a JSON object", Assert.Throws<InvalidDataException>(() => Notebook.Parse("[]")).Message);
    }

    [Fact]
    public void AValidNotebookWithUnknownFieldsLoads()
    {
        var path = Write(r =>
        {
            r["metadata"]!["custom"] = new JsonObject { ["anything"] = 1 };
            Cell(r, 0)["outputs"]!.AsArray().Add(new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["application/json"] = new JsonObject() }, ["metadata"] = new JsonObject() });
            Cell(r, 1)["attachments"] = new JsonObject();
        });
        Assert.Equal(2, Notebook.Load(path).Cells.Count);
    }

    [Theory]
    [InlineData("nbformat", "'nbformat' must be an integer, found \"four\"")]
    [InlineData("source", "cell 1: 'source' must be a string or an array of strings, found 42")]
    public void KitRunReportsAMalformedNotebookAsBadInput(string field, string message)
    {
        var path = Write(r => { if (field == "nbformat") r["nbformat"] = "four"; else Cell(r, 0)["source"] = 42; });
        var before = File.ReadAllText(path);
        var (code, stderr) = KitCli.RunInProcess("run", path, "--in-place");
        Assert.Equal(2, code);
        Assert.Equal($"kit run: {path}: {message}.", Assert.Single(KitCli.Lines(stderr)));
        Assert.Equal(before, File.ReadAllText(path));
    }
}
