namespace EnsembleKit.Experiments;

/// <summary>
/// A notebook's check of a paper's claim at the scale it ran. At <c>cpu</c> and <c>full</c> scale a claim that does not
/// hold throws, so the run fails; at <c>smoke</c> scale (a few epochs on a slice of the data, meant only to show that
/// every cell runs) the outcome is printed but not enforced.
/// </summary>
public static class Claim
{
    /// <summary>Prints whether <paramref name="statement"/> held; throws when it did not, unless <paramref name="scale"/> is smoke.</summary>
    /// <returns><paramref name="holds"/>.</returns>
    public static bool Check(string scale, bool holds, string statement, string measured)
    {
        if (holds)
        {
            Console.WriteLine($"Claim holds at scale '{scale}': {statement} ({measured}).");
            return true;
        }
        if (scale == "smoke")
        {
            Console.WriteLine($"Claim does not hold at scale 'smoke' (not enforced: smoke runs only show that the cells run): {statement} ({measured}).");
            return false;
        }
        throw new ClaimFailedException($"Claim does not hold at scale '{scale}': {statement} ({measured}).");
    }
}
