using System.CommandLine;
using EnsembleKit.Backend;
using EnsembleKit.Experiments;

namespace EnsembleKit.Cli.Commands;

/// <summary>
/// <c>kit claims [--notebooks DIR] [--out FILE] [--check]</c>: reads the claim verdicts out of the committed notebooks'
/// outputs and prints and writes the claims ledger (default notebooks/CLAIMS.md); <c>--check</c> writes nothing and
/// exits 1 when the file on disk differs from what the notebooks give (for CI).
/// </summary>
public static class ClaimsCommand
{
    public static Command Build()
    {
        var command = new Command("claims", "Tabulate which claims of the source documents the committed notebooks found to hold (notebooks/CLAIMS.md).");
        var notebooks = new Option<DirectoryInfo?>("--notebooks") { Description = "Folder of executed .ipynb files (default: the repository's notebooks/)." };
        var output = new Option<FileInfo?>("--out") { Description = $"Ledger file (default: {ClaimsLedger.FileName} in the notebooks' folder)." };
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 1 when the ledger file differs from what the notebooks give." };
        command.Options.Add(notebooks);
        command.Options.Add(output);
        command.Options.Add(check);
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(notebooks)?.FullName ?? DefaultNotebooks();
            if (!Directory.Exists(folder))
            {
                Console.Error.WriteLine($"kit: error: --notebooks: folder '{folder}' does not exist.");
                return Program.BadInput;
            }
            var path = parse.GetValue(output)?.FullName ?? Path.Combine(folder, ClaimsLedger.FileName);
            string ledger = ClaimsLedger.Generate(folder);
            if (parse.GetValue(check))
            {
                // Compared line by line, so a checkout with CRLF line endings is not "out of date".
                bool same = File.Exists(path) && File.ReadAllText(path).ReplaceLineEndings("\n") == ledger;
                if (same) { Console.WriteLine($"{path} is up to date."); return 0; }
                Console.Error.WriteLine($"kit: error: {path} is {(File.Exists(path) ? "out of date" : "missing")}; run `kit claims` and commit it.");
                return 1;
            }
            Console.Write(ledger);
            AtomicFile.WriteAllText(path, ledger);   // a kill mid-write must not leave a truncated ledger to commit
            Console.Error.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }

    static string DefaultNotebooks() => Path.Combine(KitPaths.RepositoryRoot
        ?? throw new InvalidOperationException("kit claims: not inside a checkout (Kit.sln not found); give --notebooks."), "notebooks");
}
