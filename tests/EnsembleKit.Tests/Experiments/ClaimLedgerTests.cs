using EnsembleKit.Experiments;

namespace EnsembleKit.Tests.Experiments;

public class ClaimLedgerTests
{
    [Fact]
    public void RecordsEveryClaimAndThrowsOnceAtTheEndListingTheFailures()
    {
        var ledger = new ClaimLedger("cpu");
        Assert.True(ledger.Check(true, "first", "1 vs 0"));
        Assert.False(ledger.Check(false, "second", "0 vs 1"));      // does not throw yet
        Assert.False(ledger.Check(false, "third", "2 vs 3"));
        Assert.Equal(["first", "second", "third"], ledger.Claims.Select(c => c.Statement));
        var e = Assert.Throws<ClaimFailedException>(ledger.Enforce);
        Assert.StartsWith("2 of 3 claims do not hold at scale 'cpu'", e.Message);
        Assert.Contains("second (0 vs 1)", e.Message);
        Assert.Contains("third (2 vs 3)", e.Message);
        Assert.DoesNotContain("first", e.Message);
    }

    [Fact]
    public void EnforcesNothingAtSmokeScaleOrWhenAllHold()
    {
        var smoke = new ClaimLedger("smoke");
        smoke.Check(false, "fails", "x");
        smoke.Enforce();
        var cpu = new ClaimLedger("cpu");
        cpu.Check(true, "holds", "x");
        cpu.Enforce();
    }

    [Fact]
    public void RejectsAnEmptyLedgerAndBadInput()
    {
        Assert.Throws<InvalidOperationException>(new ClaimLedger("cpu").Enforce);
        Assert.Throws<ArgumentException>(() => new ClaimLedger(" "));
        Assert.Throws<ArgumentException>(() => new ClaimLedger("cpu").Check(true, "", "x"));
    }
}
