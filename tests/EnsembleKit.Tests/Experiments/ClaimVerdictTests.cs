using EnsembleKit.Experiments;
using EnsembleKit.Metrics;

namespace EnsembleKit.Tests.Experiments;

/// <summary>The structured verdict: its one-line JSON, read back exactly; <see cref="VerdictLedger"/> prints and enforces it.</summary>
public sealed class ClaimVerdictTests
{
    static readonly ClaimVerdict Seven = new(7, "S1", "no number", "1 member 37.59%, 3 members 45.90%", "cpu", Verdict.Held,
        "ensemble accuracy rises with size and saturates");

    [Fact]
    public void TheLineIsOneLineOfJsonWithTheFieldsNamedAsDocumented()
    {
        Assert.Equal("claim-verdict: {\"id\":7,\"seed\":\"S1\",\"paper\":\"no number\",\"kit\":\"1 member 37.59%, 3 members 45.90%\","
            + "\"scale\":\"cpu\",\"verdict\":\"held\",\"why\":\"ensemble accuracy rises with size and saturates\"}", Seven.ToLine());
        var multiline = Seven with { Why = "two\nlines \"quoted\" ≥ ±", Verdict = Verdict.NotCheckableHere };
        Assert.DoesNotContain('\n', multiline.ToLine());
        Assert.Contains("\"verdict\":\"not_checkable_here\"", multiline.ToLine());
        Assert.Contains("≥ ±", multiline.ToLine()); // readable, not \u escapes
        Assert.Equal(multiline, ClaimVerdict.TryParseLine(multiline.ToLine()));
    }

    [Fact]
    public void ALineReadsBackToTheSameVerdict()
    {
        foreach (var verdict in new[] { Verdict.Held, Verdict.Failed, Verdict.NotCheckableHere })
            Assert.Equal(Seven with { Verdict = verdict }, ClaimVerdict.TryParseLine("  " + (Seven with { Verdict = verdict }).ToLine() + "\r"));
        Assert.Null(ClaimVerdict.TryParseLine("Claim holds at scale 'cpu': something (1 vs 2)."));
        Assert.Null(ClaimVerdict.TryParseLine(""));
    }

    [Theory]
    [InlineData("claim-verdict: {\"id\":7,", "not a valid claim-verdict line")]
    [InlineData("claim-verdict: {\"id\":26,\"seed\":\"S4\",\"paper\":\"p\",\"kit\":\"k\",\"scale\":\"cpu\",\"verdict\":\"held\",\"why\":\"w\"}", "claim id is 26")]
    [InlineData("claim-verdict: {\"id\":7,\"seed\":\"S2\",\"paper\":\"p\",\"kit\":\"k\",\"scale\":\"cpu\",\"verdict\":\"held\",\"why\":\"w\"}", "claim 7 comes from seed S1, not 'S2'")]
    [InlineData("claim-verdict: {\"id\":7,\"seed\":\"S1\",\"paper\":\"p\",\"scale\":\"cpu\",\"verdict\":\"held\",\"why\":\"w\"}", "KitValue")]
    [InlineData("claim-verdict: {\"id\":7,\"seed\":\"S1\",\"paper\":\"p\",\"kit\":\"k\",\"scale\":\"cpu\",\"verdict\":\"maybe\",\"why\":\"w\"}", "not a valid claim-verdict line")]
    [InlineData("claim-verdict: {\"id\":7,\"seed\":\"S1\",\"paper\":\"p\",\"kit\":\"k\",\"scale\":\"cpu\",\"verdict\":9,\"why\":\"w\"}", "verdict is 9")]
    public void ABrokenLineIsAFormatErrorSayingWhy(string line, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ClaimVerdict.TryParseLine(line));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void TheLedgerPrintsTheSentenceAndTheLineAndTakesSeedAndPaperFromTheCatalogue()
    {
        var ledger = new VerdictLedger("cpu");
        var printed = Capture(() => ledger.Record(12, Verdict.Failed, "36.40% vs 44.20%", "SSE (NP) loses to independent training at 8 epochs"));
        Assert.Equal([
            "Claim 12 (S2) failed at scale 'cpu': SSE (NP) loses to independent training at 8 epochs (kit: 36.40% vs 44.20%; paper: LeNet-L CIFAR-10 75.75 vs 70.29; ResNet-18 CIFAR-100 57.26 vs 49.26).",
            "claim-verdict: {\"id\":12,\"seed\":\"S2\",\"paper\":\"LeNet-L CIFAR-10 75.75 vs 70.29; ResNet-18 CIFAR-100 57.26 vs 49.26\",\"kit\":\"36.40% vs 44.20%\",\"scale\":\"cpu\",\"verdict\":\"failed\",\"why\":\"SSE (NP) loses to independent training at 8 epochs\"}",
        ], printed);
        Assert.Equal(Verdict.Failed, Assert.Single(ledger.Verdicts).Verdict);
    }

    [Fact]
    public void EnforceThrowsForAFailedClaimAtCpuButNotAtSmoke()
    {
        var cpu = new VerdictLedger("cpu");
        Capture(() => { cpu.Check(7, true, "k", "rises"); cpu.Check(1, false, "89 vs 90", "ensemble below best member"); cpu.Record(10, Verdict.NotCheckableHere, "—", "no ProcGen"); });
        var e = Assert.Throws<ClaimFailedException>(() => Capture(cpu.Enforce));
        Assert.Equal("1 of 3 claims do not hold at scale 'cpu': claim 1: ensemble below best member (89 vs 90).", e.Message);

        var smoke = new VerdictLedger("smoke");
        var printed = Capture(() => { smoke.Check(1, false, "k", "w"); smoke.Enforce(); });
        Assert.Equal("0 held, 1 failed, 0 not checkable here, at scale 'smoke'.", printed[^1]);
        Assert.Throws<InvalidOperationException>(() => new VerdictLedger("cpu").Enforce());
    }

    [Fact]
    public void TheLedgerRefusesAVerdictOfAnotherScaleOrSeed()
    {
        var ledger = new VerdictLedger("cpu");
        Assert.Contains("the verdict's scale is 'smoke' but this ledger's is 'cpu'",
            Assert.Throws<ArgumentException>(() => ledger.Record(Seven with { Scale = "smoke" })).Message);
        Assert.Throws<ArgumentException>(() => ledger.Record(Seven with { Seed = "S0" }));
        Assert.Throws<ArgumentException>(() => new VerdictLedger(" "));
        Assert.Empty(ledger.Verdicts);
    }

    [Fact]
    public void ACheckOfAnExperimentOutsideTheCatalogueHasNoIdAndNoPaperValue()
    {
        var ledger = new VerdictLedger("cpu");
        var printed = Capture(() => ledger.Check("E2.5.5: SSE vs MotherNets", false, "61.20 vs 62.05 %", "SSE children beat MotherNet children"));
        Assert.Equal([
            "Check of E2.5.5: SSE vs MotherNets failed at scale 'cpu': SSE children beat MotherNet children (kit: 61.20 vs 62.05 %).",
            "claim-verdict: {\"seed\":\"—\",\"paper\":\"—\",\"kit\":\"61.20 vs 62.05 %\",\"scale\":\"cpu\",\"verdict\":\"failed\",\"why\":\"SSE children beat MotherNet children\",\"experiment\":\"E2.5.5: SSE vs MotherNets\"}",
        ], printed);
        var verdict = Assert.Single(ledger.Verdicts);
        Assert.Equal(verdict, ClaimVerdict.TryParseLine(printed[1]));
        Assert.Null(verdict.Id);
        Assert.Equal("E2.5.5: SSE vs MotherNets", verdict.Subject);
        var e = Assert.Throws<ClaimFailedException>(() => Capture(ledger.Enforce));
        Assert.Equal("1 of 1 claims do not hold at scale 'cpu': E2.5.5: SSE vs MotherNets: SSE children beat MotherNet children (61.20 vs 62.05 %).", e.Message);
        Assert.Throws<ArgumentException>(() => ledger.Check(" ", true, "k", "w"));
    }

    [Theory]
    [InlineData("claim-verdict: {\"seed\":\"—\",\"paper\":\"—\",\"kit\":\"k\",\"scale\":\"cpu\",\"verdict\":\"held\",\"why\":\"w\"}", "a claim id or an experiment")]
    [InlineData("claim-verdict: {\"seed\":\"S2\",\"paper\":\"—\",\"kit\":\"k\",\"scale\":\"cpu\",\"verdict\":\"held\",\"why\":\"w\",\"experiment\":\"E2.5.5\"}", "has seed '—', not 'S2'")]
    [InlineData("claim-verdict: {\"id\":7,\"seed\":\"S1\",\"paper\":\"p\",\"kit\":\"k\",\"scale\":\"cpu\",\"verdict\":\"held\",\"why\":\"w\",\"experiment\":\"E1.5\"}", "claim 7 is in the catalogue")]
    public void AVerdictIsAboutAClaimOrAnExperimentNeverBothOrNeither(string line, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => ClaimVerdict.TryParseLine(line)).Message);

    [Fact]
    public void ANotedReadingIsPrintedAndReadBackButNeverFailsTheRun()
    {
        var ledger = new VerdictLedger("cpu");
        var printed = Capture(() =>
        {
            ledger.Check(2, true, "student 86.10% vs best member 85.90%", "the student beats the best member");
            ledger.Note(2, false, "student 86.10% vs ensemble 86.40%", "literally: the student beats its teacher, the ensemble");
            ledger.Enforce();
        });
        Assert.StartsWith("Claim 2 (S0) failed at scale 'cpu' (printed, not enforced): literally: the student beats its teacher, the ensemble (kit: student 86.10% vs ensemble 86.40%; paper: ", printed[2]);
        Assert.EndsWith(",\"printed_only\":true}", printed[3]);
        Assert.DoesNotContain("printed_only", printed[1]);   // an enforced verdict's line is as it always was
        Assert.True(ClaimVerdict.TryParseLine(printed[3])!.PrintedOnly);
        Assert.False(ClaimVerdict.TryParseLine(printed[1])!.PrintedOnly);
        Assert.Equal("1 held, 0 failed, 0 not checkable here, at scale 'cpu'; printed, not enforced: 0 held, 1 failed.", printed[^1]);
    }

    static string[] Capture(Action action)
    {
        var original = Console.Out;
        var writer = new StringWriter();
        Console.SetOut(writer);
        try { action(); }
        finally { Console.SetOut(original); }
        return writer.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
    }
}
