using System.CommandLine;
using EnsembleKit.Notebooks.Comparison;

namespace EnsembleKit.Cli.Commands;

/// <summary>
/// <c>kit compare BEFORE AFTER [--lines N]</c>: whether a re-executed notebook shows what its committed copy shows, code
/// cell by code cell, durations and element ids masked (<see cref="OutputComparison"/>). BEFORE and AFTER are two
/// notebooks, or two folders: then every notebook in AFTER is compared with its namesake in BEFORE. Exit 0 when every
/// cell shows the same, 1 when a cell differs (each is listed with its differing lines), 2 on a missing or broken file.
/// </summary>
public static class CompareCommand
{
    /// <summary>Longer lines (a chart's data) are cut to this many characters when printed.</summary>
    const int LineWidth = 160;

    public static Command Build()
    {
        var command = new Command("compare", "Check that two runs of a notebook show the same numbers, cell by cell (timings and ids aside), "
            + "e.g. a committed notebook and its re-execution by `kit run NB -o OUT`; or every notebook of a folder and its namesake in another.");
        var before = new Argument<string>("before") { Description = "The first run: e.g. the committed notebook, or the notebooks/ folder." };
        var after = new Argument<string>("after") { Description = "The second run: e.g. the notebook kit run wrote with -o, or a folder of reruns." };
        var lines = new Option<int>("--lines") { Description = "Differing lines printed per cell and side (default 10).", DefaultValueFactory = _ => 10 };
        command.Arguments.Add(before);
        command.Arguments.Add(after);
        command.Options.Add(lines);
        command.SetAction(parse =>
        {
            var (first, second, shown) = (parse.GetValue(before)!, parse.GetValue(after)!, parse.GetValue(lines));
            if (shown < 0)
            {
                Console.Error.WriteLine($"kit: error: --lines must be 0 or more; got {shown}.");
                return Program.BadInput;
            }
            if (Directory.Exists(first) != Directory.Exists(second))
            {
                Console.Error.WriteLine($"kit: error: give two notebooks or two folders; '{(Directory.Exists(first) ? first : second)}' is a folder and the other is not.");
                return Program.BadInput;
            }
            return Directory.Exists(first) ? CompareFolders(first, second, shown) : CompareFiles(first, second, shown);
        });
        return command;
    }

    static int CompareFiles(string first, string second, int shown)
    {
        NotebookComparison comparison;
        try { comparison = OutputComparison.Compare(first, second); }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"kit: error: {e.Message}");
            return Program.BadInput;
        }
        Print(comparison, shown);
        return comparison.Same ? 0 : 1;
    }

    /// <summary>Every notebook of <paramref name="second"/> (dot files aside: kit run's side files) against its namesake.</summary>
    static int CompareFolders(string first, string second, int shown)
    {
        var names = Directory.EnumerateFiles(second, "*.ipynb").Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.') && File.Exists(Path.Combine(first, n))).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            Console.Error.WriteLine($"kit: error: no notebook in '{second}' has a namesake in '{first}'.");
            return Program.BadInput;
        }
        var codes = new List<int>();
        foreach (var name in names)
        {
            Console.WriteLine($"== {name}");
            codes.Add(CompareFiles(Path.Combine(first, name), Path.Combine(second, name), shown));
        }
        Console.WriteLine($"{codes.Count(c => c == 0)} of {names.Count} notebooks show the same"
            + (codes.Count(c => c == 1) is int differ and > 0 ? $"; {differ} {(differ == 1 ? "differs" : "differ")}" : "")
            + (codes.Any(c => c == Program.BadInput) ? $"; {codes.Count(c => c == Program.BadInput)} could not be read" : "") + ".");
        return codes.Contains(Program.BadInput) ? Program.BadInput : codes.Max();
    }

    static void Print(NotebookComparison comparison, int shown)
    {
        foreach (var d in comparison.Differences)
        {
            string where = (d.BeforeCell, d.AfterCell) switch
            {
                (null, { } a) => $"cell {a}, only in the second notebook",
                ({ } b, null) => $"cell {b}, only in the first notebook",
                var (b, a) when b == a => $"cell {a}",
                var (b, a) => $"cell {b} -> {a}",
            };
            Console.WriteLine($"{where} (`{Cut(d.FirstLine, 60)}`): "
                + (d.OnlyBefore.Count + d.OnlyAfter.Count == 0 ? "the same lines in another order" : $"{d.OnlyBefore.Count} line(s) only before, {d.OnlyAfter.Count} only after"));
            for (int i = 0; i < Math.Min(shown, d.OnlyBefore.Count); i++) Console.WriteLine($"  - {Excerpt(d.OnlyBefore[i], d.OnlyAfter.ElementAtOrDefault(i))}");
            if (d.OnlyBefore.Count > shown) Console.WriteLine($"  - ... {d.OnlyBefore.Count - shown} more");
            for (int i = 0; i < Math.Min(shown, d.OnlyAfter.Count); i++) Console.WriteLine($"  + {Excerpt(d.OnlyAfter[i], d.OnlyBefore.ElementAtOrDefault(i))}");
            if (d.OnlyAfter.Count > shown) Console.WriteLine($"  + ... {d.OnlyAfter.Count - shown} more");
        }
        if (comparison.ThreadsDiffer)
            Console.WriteLine($"note: the first run used {comparison.BeforeThreads} libtorch threads, the second {comparison.AfterThreads}: sums are taken "
                + "in another order, so last digits may differ; rerun with KIT_THREADS set to the first run's count.");
        int same = comparison.ComparedCells - comparison.Differences.Count;
        Console.WriteLine($"{same} of {comparison.ComparedCells} code cells show the same (paired by {(comparison.PairedById ? "id" : "order")}; "
            + "durations and element ids masked)" + (comparison.Same ? "." : $"; {comparison.Differences.Count} {(comparison.Differences.Count == 1 ? "differs" : "differ")}."));
    }

    static string Cut(string line, int width) => line.Length <= width ? line : line[..(width - 1)] + "…";

    /// <summary>
    /// A long line (a chart's data) around where it first differs from <paramref name="partner"/>, the line in the same
    /// place on the other side, so the changed number is in view; short lines whole.
    /// </summary>
    static string Excerpt(string line, string? partner)
    {
        if (line.Length <= LineWidth) return line;
        int differs = 0;
        if (partner is not null)
            while (differs < line.Length && differs < partner.Length && line[differs] == partner[differs]) differs++;
        int start = Math.Max(0, Math.Min(differs - LineWidth / 4, line.Length - LineWidth));
        int end = Math.Min(line.Length, start + LineWidth);
        return (start > 0 ? "…" : "") + line[start..end] + (end < line.Length ? "…" : "");
    }
}
