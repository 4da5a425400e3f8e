using System.Text.Json.Nodes;
using EnsembleKit.Experiments;
using EnsembleKit.Tests.Cli;

namespace EnsembleKit.Tests.Experiments;

/// <summary>notebooks/CLAIMS.md is what <c>kit claims</c> makes of the committed notebooks, and it covers every §4 claim.</summary>
public sealed class ClaimsLedgerTests
{
    static string NotebooksFolder => Path.Combine(TestSupport.RepoRoot, "notebooks");

    static readonly Lazy<IReadOnlyList<LedgerRow>> CommittedRows = new(() => ClaimsLedger.Rows(NotebooksFolder));

    [Fact]
    public void TheCommittedLedgerIsWhatKitClaimsGivesForTheCommittedNotebooks()
    {
        var path = Path.Combine(NotebooksFolder, ClaimsLedger.FileName);
        Assert.True(File.Exists(path), $"{path} is missing: run `kit claims` and commit it.");
        string committed = File.ReadAllText(path).ReplaceLineEndings("\n"), generated = ClaimsLedger.Generate(NotebooksFolder);
        Assert.True(committed == generated, $"{path} is out of date: run `kit claims` and commit it. First difference at line "
            + (committed.Split('\n').Zip(generated.Split('\n')).TakeWhile(p => p.First == p.Second).Count() + 1) + ".");
    }

    [Fact]
    public void EveryClaimOfSeedSpecSectionFourHasAnEntry()
    {
        var ids = CommittedRows.Value.Where(r => r.ClaimId is not null).Select(r => r.ClaimId!.Value).ToHashSet();
        Assert.Equal(SeedSpecClaims.Claims().Keys.Order(), ids.Order());
        var markdown = File.ReadAllText(Path.Combine(NotebooksFolder, ClaimsLedger.FileName));
        foreach (var id in Enumerable.Range(1, 25)) Assert.Contains($"\n| {id} | {ClaimCatalog.Get(id).Seed} | ", markdown);
    }

    [Fact]
    public void EveryMapEntryFindsItsLineInTheCommittedNotebooksAndEveryClaimLineIsMapped()
    {
        var rows = CommittedRows.Value;
        Assert.DoesNotContain(rows, r => r.Experiment == "unmapped");
        Assert.DoesNotContain(rows, r => r.Reason == "the committed run does not print this check");
        Assert.DoesNotContain(rows, r => r.Verdict == LedgerVerdict.FailedToRun);
        var notebooks = Directory.EnumerateFiles(NotebooksFolder, "*.ipynb").Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).ToHashSet();
        Assert.All(NotebookClaimMap.ClaimLines, e => Assert.Contains(e.Notebook, notebooks));
        Assert.All(NotebookClaimMap.PrintedChecks, e => Assert.Contains(e.Notebook, notebooks));
        // Every claim line the notebooks' outputs print (streams, and errors thrown by Claim.Check) is one row, and so is
        // every claim-verdict line (VerdictLedger).
        int printedClaimLines = notebooks.Sum(n => OutputLines(Path.Combine(NotebooksFolder, n!)).Count(l => l.StartsWith("Claim holds at scale")
            || l.StartsWith("Claim does not hold at scale") || l.StartsWith("Claim DOES NOT HOLD") || l.StartsWith(ClaimVerdict.LinePrefix)));
        Assert.Equal(printedClaimLines, rows.Count(r => r.Notebook is not null && !r.Checked.EndsWith("(printed, not enforced)")));
    }

    [Fact]
    public void EveryClaimHasANotebookAndClaimTenSaysWhyItCannotBeCheckedHere()
    {
        var withoutNotebook = CommittedRows.Value.Where(r => r.ClaimId is not null && r.Notebook is null).Select(r => r.ClaimId!.Value).ToList();
        Assert.Equal(NotebookClaimMap.NoVerdictYet.Keys.Order(), withoutNotebook);
        Assert.Empty(withoutNotebook);
        var procGen = Assert.Single(CommittedRows.Value, r => r.ClaimId == 10);
        Assert.Equal(("09-noisy-subnetwork-ensembles.ipynb", LedgerVerdict.NotCheckableHere), (procGen.Notebook, procGen.Verdict));
        Assert.Equal("not checkable here", procGen.VerdictText);
        Assert.Contains("ProcGen", procGen.Checked);
        // Every claim has at least one row with a verdict (held, failed or not checkable here), not only measured rows.
        Assert.All(Enumerable.Range(1, 25), id => Assert.Contains(CommittedRows.Value,
            r => r.ClaimId == id && r.Verdict is LedgerVerdict.Held or LedgerVerdict.Failed or LedgerVerdict.NotCheckableHere));
        // and no row is a measurement without a verdict ("measured only").
        Assert.DoesNotContain(CommittedRows.Value, r => r.Verdict == LedgerVerdict.NoVerdictYet);
        var partitions = CommittedRows.Value.Where(r => r.ClaimId == 14).Select(r => (r.Notebook, r.Verdict)).ToList();
        Assert.Equal([("10-sparse-subnetwork-ensembles.ipynb", LedgerVerdict.Failed), ("23-sse-budget-and-partitions.ipynb", LedgerVerdict.Failed)], partitions);
    }

    [Fact]
    public void TheCommittedNotebooksGiveTheVerdictsTheyPrint()
    {
        // A few rows read back against the notebooks' committed outputs (the numbers as printed there).
        var rows = CommittedRows.Value;
        var one = Assert.Single(rows, r => r.ClaimId == 1);
        Assert.Equal(("01-fmnist-deep-ensembles.ipynb", "cpu", "ensemble 89.87% vs best member 89.39% (+0.48 points)", LedgerVerdict.Held),
            (one.Notebook, one.Scale, one.Kit, one.Verdict));
        var two = Assert.Single(rows, r => r.ClaimId == 2);
        Assert.Equal(LedgerVerdict.Failed, two.Verdict);
        Assert.StartsWith("student 89.11% vs best member 89.64%", two.Kit);
        Assert.Equal([LedgerVerdict.Held, LedgerVerdict.Failed], rows.Where(r => r.ClaimId == 5).Select(r => r.Verdict));
        Assert.Equal(LedgerVerdict.Failed, Assert.Single(rows, r => r.ClaimId == 12).Verdict);
        Assert.Contains(rows, r => r.ClaimId == 25 && r.Notebook == "07-swa-mc-dropout-and-dee.ipynb" && r.Verdict == LedgerVerdict.Held);
        // Claim 18 twice in notebook 20 (ResNet-20): the tuned child's basin is as wide as the parent's, but not as shallow.
        var eighteen = rows.Where(r => r.ClaimId == 18).ToList();
        Assert.Equal([LedgerVerdict.Held, LedgerVerdict.Failed], eighteen.Select(r => r.Verdict));
        Assert.All(eighteen, r => Assert.Equal(("20-sparse-child-landscapes.ipynb", "cpu"), (r.Notebook, r.Scale)));
        Assert.StartsWith("centre loss pruned 4.807 -> tuned 1.103", eighteen[0].Kit);
        Assert.StartsWith("shallow:", eighteen[1].Checked);
        // Claim 21 twice in notebook 21: the MLP's kernels on Fashion-MNIST, then the small CNN's on CIFAR-10.
        var twentyOne = rows.Where(r => r.ClaimId == 21).ToList();
        Assert.Equal(2, twentyOne.Count);
        Assert.All(twentyOne, r => Assert.Equal(("21-kernel-models-sum-vs-ensemble.ipynb", LedgerVerdict.Held), (r.Notebook, r.Verdict)));
        Assert.StartsWith("NTK: Σf 85.57 vs ensemble 84.76", twentyOne[0].Kit);
        Assert.StartsWith("NTK (CNN): Σf 42.96 vs ensemble 39.84", twentyOne[1].Kit);
    }

    /// <summary>The lines of a notebook's stream outputs and the messages of its error outputs.</summary>
    static IEnumerable<string> OutputLines(string path) =>
        JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray().SelectMany(c => c!["outputs"]?.AsArray() ?? []).SelectMany(o =>
            o!["output_type"]!.GetValue<string>() switch
            {
                "stream" => string.Concat(o["text"]!.AsArray().Select(t => t!.GetValue<string>())).Split('\n'),
                "error" => [o["evalue"]!.GetValue<string>()],
                _ => [],
            });

    [Fact]
    public void TableCellsEscapeMarkdownAndStayOnOneLine() =>
        Assert.Equal(@"\|cos\| max θ\* a\_b \<x> \`c\` \[l\] two lines", ClaimsLedger.Cell("|cos| max θ* a_b <x> `c` [l] two\nlines"));

    [Fact]
    public void KitClaimsWritesTheLedgerAndCheckFailsOnlyWhenItDiffers()
    {
        using var temp = new TempFolder();
        var folder = temp.NewFolder();
        File.WriteAllText(Path.Combine(folder, "99-test.ipynb"), NotebookClaimReaderTests.Notebook("cpu",
            NotebookClaimReaderTests.Stream(new ClaimVerdict(22, "S3", "no number", "+4.02 points", "cpu", Verdict.Failed, "ensembling helps on Gaussian-like data").ToLine() + "\n")));
        var ledger = temp.File("ledger.md");

        Assert.Equal(1, KitCli.RunInProcess("claims", "--notebooks", folder, "--out", ledger, "--check").Code); // missing
        Assert.Equal(0, KitCli.RunInProcess("claims", "--notebooks", folder, "--out", ledger).Code);
        var written = File.ReadAllText(ledger);
        Assert.Contains("| 22 | S3 | On Gaussian-like synthetic data, ensembling does not improve accuracy | [99-test](99-test.ipynb) | ensembling helps on Gaussian-like data | cpu | no number | +4.02 points | failed |", written);
        Assert.Contains("| 10 | S2 | ", written); // claims no notebook checks are listed too
        Assert.Equal(0, KitCli.RunInProcess("claims", "--notebooks", folder, "--out", ledger, "--check").Code);

        File.WriteAllText(ledger, written.Replace("| failed |", "| held |"));
        var (code, stderr) = KitCli.RunInProcess("claims", "--notebooks", folder, "--out", ledger, "--check");
        Assert.Equal((1, $"kit: error: {ledger} is out of date; run `kit claims` and commit it."), (code, KitCli.Lines(stderr).Single()));
        Assert.Equal(2, KitCli.RunInProcess("claims", "--notebooks", temp.File("nowhere")).Code);
    }
}
