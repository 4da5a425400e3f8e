namespace EnsembleKit.Experiments;

/// <summary>
/// A notebook's claims checked one by one and enforced together at the end, so that one claim that does not hold
/// still lets every later claim be measured and printed. <see cref="Check"/> prints each outcome; <see cref="Enforce"/>
/// (call it in the notebook's last cell) throws <see cref="ClaimFailedException"/> listing every claim that did not
/// hold, at <c>cpu</c> and <c>full</c> scale; at <c>smoke</c> scale nothing is enforced, as with <see cref="Claim.Check"/>.
/// </summary>
public sealed class ClaimLedger(string scale)
{
    readonly List<(string Statement, string Measured, bool Holds)> _claims = [];

    public string Scale { get; } = string.IsNullOrWhiteSpace(scale) ? throw new ArgumentException("scale is empty.", nameof(scale)) : scale;

    /// <summary>Every claim checked so far, in order.</summary>
    public IReadOnlyList<(string Statement, string Measured, bool Holds)> Claims => _claims;

    /// <summary>Records and prints whether <paramref name="statement"/> held; returns <paramref name="holds"/>.</summary>
    public bool Check(bool holds, string statement, string measured)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(statement);
        _claims.Add((statement, measured, holds));
        string verdict = holds ? "holds" : Scale == "smoke" ? "does not hold (not enforced at smoke scale)" : "DOES NOT HOLD (enforced at the end)";
        Console.WriteLine($"Claim {verdict} at scale '{Scale}': {statement} ({measured}).");
        return holds;
    }

    /// <summary>Prints a summary; throws when a claim did not hold, unless the scale is smoke.</summary>
    public void Enforce()
    {
        if (_claims.Count == 0) throw new InvalidOperationException("No claim was checked.");
        var failed = _claims.Where(c => !c.Holds).ToList();
        Console.WriteLine($"{_claims.Count - failed.Count} of {_claims.Count} claims hold at scale '{Scale}'.");
        if (failed.Count == 0 || Scale == "smoke") return;
        throw new ClaimFailedException($"{failed.Count} of {_claims.Count} claims do not hold at scale '{Scale}': "
            + string.Join("; ", failed.Select(c => $"{c.Statement} ({c.Measured})")) + ".");
    }
}
