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
    public void EveryVerdictLineOfTheCommittedNotebooksIsOneRowAndEveryNotebookRan()
    {
        var rows = CommittedRows.Value;
        Assert.DoesNotContain(rows, r => r.Verdict == LedgerVerdict.FailedToRun);
        var notebooks = Directory.EnumerateFiles(NotebooksFolder, "*.ipynb").Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).ToList();
        int verdictLines = notebooks.Sum(n => OutputLines(Path.Combine(NotebooksFolder, n!)).Count(l => l.StartsWith(ClaimVerdict.LinePrefix)));
        Assert.Equal(verdictLines, rows.Count(r => r.Notebook is not null));
        // Every notebook checks at least one claim or experiment.
        Assert.All(notebooks, n => Assert.Contains(rows, r => r.Notebook == n));
    }

    [Fact]
    public void EveryClaimHasANotebookAndClaimTenSaysWhyItCannotBeCheckedHere()
    {
        var withoutNotebook = CommittedRows.Value.Where(r => r.ClaimId is not null && r.Notebook is null).Select(r => r.ClaimId!.Value).ToList();
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
        // Claim 2 enforced against the best member, and its literal reading (the student beats the ensemble) noted.
        var two = rows.Where(r => r.ClaimId == 2).ToList();
        Assert.Equal([LedgerVerdict.Failed, LedgerVerdict.Failed], two.Select(r => r.Verdict));
        Assert.StartsWith("student 89.11% vs best member 89.64%", two[0].Kit);
        Assert.StartsWith("student 89.11% vs ensemble 90.01%", two[1].Kit);
        Assert.EndsWith("(printed, not enforced)", two[1].Checked);
        Assert.Equal([LedgerVerdict.Held, LedgerVerdict.Failed], rows.Where(r => r.ClaimId == 5).Select(r => r.Verdict));
        // Claim 12 against four baselines on two data sets: SSE (NP) beats only bagging on CIFAR-10 (36.25 vs 35.00 %).
        var twelve = rows.Where(r => r.ClaimId == 12).ToList();
        Assert.Equal(8, twelve.Count);
        Assert.StartsWith("CIFAR-10: SSE (NP) beats Bagging", Assert.Single(twelve, r => r.Verdict == LedgerVerdict.Held).Checked);
        Assert.All(twelve, r => Assert.Equal("10-sparse-subnetwork-ensembles.ipynb", r.Notebook));
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
