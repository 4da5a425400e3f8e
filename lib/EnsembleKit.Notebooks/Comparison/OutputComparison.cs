using System.Text.Json.Nodes;
using EnsembleKit.Notebooks.Format;

namespace EnsembleKit.Notebooks.Comparison;

/// <summary>
/// Compares what two runs of a notebook show, code cell by code cell (<see cref="ShownOutput"/>): the check that a
/// re-executed notebook prints the numbers of its committed copy, timings and element ids aside. Parameter cells are
/// left out (they say which scale ran, not what it computed).
/// </summary>
public static class OutputComparison
{
    /// <summary>
    /// Pairs the code cells of <paramref name="before"/> and <paramref name="after"/> by their ids when both notebooks
    /// give every code cell a distinct id and share at least one (so a cell added or removed between the runs does not
    /// shift the rest), else by their order; then lists every pair whose shown lines differ, and every cell only one
    /// notebook has.
    /// </summary>
    public static NotebookComparison Compare(Notebook before, Notebook after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var first = CodeCells(before);
        var second = CodeCells(after);
        bool byId = HasDistinctIds(first) && HasDistinctIds(second) && first.Any(a => second.Any(b => b.Cell.Id == a.Cell.Id));

        var pairs = new List<(Numbered? Before, Numbered? After)>();
        if (byId)
        {
            var firstById = first.ToDictionary(a => a.Cell.Id!, StringComparer.Ordinal);
            var secondIds = second.Select(b => b.Cell.Id!).ToHashSet(StringComparer.Ordinal);
            foreach (var b in second) pairs.Add((firstById.GetValueOrDefault(b.Cell.Id!), b));
            foreach (var a in first.Where(a => !secondIds.Contains(a.Cell.Id!))) pairs.Add((a, null));
        }
        else
        {
            for (int i = 0; i < Math.Max(first.Count, second.Count); i++)
                pairs.Add((i < first.Count ? first[i] : null, i < second.Count ? second[i] : null));
        }

        var differences = new List<CellDifference>();
        foreach (var (a, b) in pairs)
        {
            IReadOnlyList<string> shownBefore = a is null ? [] : ShownOutput.Lines(a.Cell);
            IReadOnlyList<string> shownAfter = b is null ? [] : ShownOutput.Lines(b.Cell);
            if (a is not null && b is not null && shownBefore.SequenceEqual(shownAfter, StringComparer.Ordinal)) continue;
            differences.Add(new CellDifference(a?.Number, b?.Number, (b ?? a)!.Cell.FirstLine, Without(shownBefore, shownAfter), Without(shownAfter, shownBefore)));
        }
        return new NotebookComparison(pairs.Count, byId, differences, Threads(before), Threads(after));
    }

    /// <summary>Reads both files and compares them.</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is not an nbformat 4 notebook.</exception>
    public static NotebookComparison Compare(string beforePath, string afterPath) => Compare(Notebook.Load(beforePath), Notebook.Load(afterPath));

    /// <summary>The thread count kit run recorded, or null (an older run, or one by another tool).</summary>
    static int? Threads(Notebook notebook) =>
        notebook.Metadata["ensemblekit"] is JsonObject record && record["threads"] is JsonValue value && value.TryGetValue(out int threads) ? threads : null;

    /// <summary>A code cell and its number in its notebook.</summary>
    sealed record Numbered(int Number, NotebookCell Cell);

    static List<Numbered> CodeCells(Notebook notebook) => notebook.Cells
        .Select((cell, index) => new Numbered(index + 1, cell))
        .Where(c => c.Cell.IsCode && !c.Cell.HasTag(NotebookConventions.ParametersTag) && !c.Cell.HasTag(NotebookConventions.InjectedParametersTag))
        .ToList();

    static bool HasDistinctIds(List<Numbered> cells) =>
        cells.All(c => !string.IsNullOrEmpty(c.Cell.Id)) && cells.Select(c => c.Cell.Id).Distinct(StringComparer.Ordinal).Count() == cells.Count;

    /// <summary><paramref name="lines"/> less one occurrence of each line of <paramref name="other"/>, in order.</summary>
    static List<string> Without(IReadOnlyList<string> lines, IReadOnlyList<string> other)
    {
        var left = other.GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var line in lines)
        {
            if (left.TryGetValue(line, out int count) && count > 0) left[line] = count - 1;
            else result.Add(line);
        }
        return result;
    }
}
