using System.Text.RegularExpressions;
using EnsembleKit.Experiments;
using Xunit.Abstractions;

namespace EnsembleKit.Tests.Experiments;

/// <summary>The catalogue is seed-spec §4, claim for claim and number for number.</summary>
public sealed class ClaimCatalogTests(ITestOutputHelper output)
{
    [Fact]
    public void HasIdsOneToTwentyFiveExactlyOnceInOrder()
    {
        Assert.Equal(Enumerable.Range(1, 25), ClaimCatalog.All.Select(c => c.Id));
        Assert.All(ClaimCatalog.All, c => Assert.False(string.IsNullOrWhiteSpace(c.Statement) || string.IsNullOrWhiteSpace(c.PaperValue), $"claim {c.Id} is empty"));
    }

    [Fact]
    public void TheSeedSpecSectionNumbersClaimsOneToTwentyFiveAndTheCatalogueKeepsTheirSeeds()
    {
        var spec = SeedSpecClaims.Claims();
        Assert.Equal(Enumerable.Range(1, 25), spec.Keys.Order());
        Assert.All(ClaimCatalog.All, c => Assert.Equal(spec[c.Id].Seed, c.Seed));
        // The headings' ranges, as §4 has them: S0 1-4, S1 5-7, S2 8-18, S3 19-23, S4 24-25.
        Assert.Equal(["S0", "S0", "S0", "S0", "S1", "S1", "S1"], Enumerable.Range(1, 7).Select(i => spec[i].Seed));
        Assert.Equal("S2", spec[18].Seed);
        Assert.Equal("S3", spec[19].Seed);
        Assert.Equal("S3", spec[23].Seed);
        Assert.Equal("S4", spec[24].Seed);
    }

    [Fact]
    public void EveryNumberOfAClaimIsInTheCatalogueAndThePaperValueInventsNone()
    {
        var spec = SeedSpecClaims.Claims();
        foreach (var claim in ClaimCatalog.All)
        {
            var inSpec = SeedSpecClaims.Numbers(spec[claim.Id].Text);
            var inCatalogue = SeedSpecClaims.Numbers(claim.Statement + " " + claim.PaperValue);
            Assert.True(inSpec.IsSubsetOf(inCatalogue), $"claim {claim.Id} lacks {string.Join(", ", inSpec.Except(inCatalogue))} of §4: {spec[claim.Id].Text}");
            var paper = SeedSpecClaims.Numbers(claim.PaperValue);
            Assert.True(paper.IsSubsetOf(inSpec), $"claim {claim.Id}'s paper value has {string.Join(", ", paper.Except(inSpec))}, not in §4");
        }
    }

    [Theory]
    // Spot checks of the pairs a reader compares with the kit: the same regex finds them in §4 and in the catalogue.
    [InlineData(1, @"88\.54 vs (members )?87\.97 / 84\.28 / 87\.30")]
    [InlineData(3, @"76\.06 < (worst member )?84\.28")]
    [InlineData(10, @"8\.58 → 11\.69")]
    [InlineData(12, @"75\.75 vs 70\.29")]
    [InlineData(12, @"57\.26 vs 49\.26")]
    [InlineData(15, @"0\.463 vs 0\.401")]
    [InlineData(15, @"0\.533 vs 0\.493")]
    [InlineData(16, @"0\.884 vs 0\.893")]
    [InlineData(17, @"32\.74 vs 27\.56")]
    [InlineData(17, @"19\.95 vs 18\.12")]
    [InlineData(19, @"84\.69 vs 81\.51 ± 0\.16")]
    [InlineData(21, @"69\.37 vs (ensemble )?67\.38")]
    [InlineData(24, @"17\.41 vs 19\.25")]
    public void SpotCheckedPairsMatchTheSeedSpec(int id, string pattern)
    {
        var spec = SeedSpecClaims.Claims()[id].Text;
        Assert.Matches(new Regex(pattern), spec);
        Assert.Matches(new Regex(pattern), ClaimCatalog.Get(id).PaperValue);
    }

    [Fact]
    public void TheExcerptIsSectionFourOfTheSharedSeedSpecWhenThatIsHere()
    {
        // The committed excerpt is what CI has; beside a checkout with the project's shared folder, it must still be §4.
        Assert.Contains("## 4. Headline claims a reproduction should check", SeedSpecClaims.SectionText());
        if (!File.Exists(SeedSpecClaims.SharedSpecPath))
        {
            output.WriteLine($"{SeedSpecClaims.SharedSpecPath} is not here; the catalogue was checked against the committed excerpt only.");
            return;
        }
        var spec = File.ReadAllText(SeedSpecClaims.SharedSpecPath).ReplaceLineEndings("\n");
        int start = spec.IndexOf("## 4. Headline claims", StringComparison.Ordinal);
        Assert.True(start >= 0, "seed-spec.md has no section 4");
        Assert.StartsWith(SeedSpecClaims.SectionText().TrimEnd('\n') + "\n", spec[start..]);
    }

    [Fact]
    public void AnIdOutsideTheCatalogueIsRefusedNamingTheRange()
    {
        Assert.Equal("S3", ClaimCatalog.Get(19).Seed);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ClaimCatalog.Get(26));
        Assert.Contains("claim id is 26; seed-spec §4 numbers its claims 1-25", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClaimCatalog.Get(0));
    }
}
