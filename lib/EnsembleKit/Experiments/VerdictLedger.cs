namespace EnsembleKit.Experiments;

/// <summary>
/// A notebook's structured claim verdicts, the successor of <see cref="ClaimLedger"/> for new claim cells: each
/// <see cref="Record(ClaimVerdict)"/> prints the human sentence and the <c>claim-verdict:</c> JSON line that
/// <c>kit claims</c> reads; <see cref="Enforce"/> (the notebook's last cell) throws <see cref="ClaimFailedException"/>
/// when a claim failed at <c>cpu</c> or <c>full</c> scale, so the run fails as with <see cref="ClaimLedger"/>.
/// </summary>
public sealed class VerdictLedger(string scale)
{
    readonly List<ClaimVerdict> _verdicts = [];

    public string Scale { get; } = string.IsNullOrWhiteSpace(scale) ? throw new ArgumentException("scale is empty.", nameof(scale)) : scale;

    /// <summary>Every verdict recorded so far, in order.</summary>
    public IReadOnlyList<ClaimVerdict> Verdicts => _verdicts;

    /// <summary>Prints <paramref name="verdict"/> (sentence, then the JSON line) and keeps it; returns it.</summary>
    public ClaimVerdict Record(ClaimVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        verdict.Validated();
        if (verdict.Scale != Scale)
            throw new ArgumentException($"the verdict's scale is '{verdict.Scale}' but this ledger's is '{Scale}'.", nameof(verdict));
        _verdicts.Add(verdict);
        Console.WriteLine(verdict.ToSentence());
        Console.WriteLine(verdict.ToLine());
        return verdict;
    }

    /// <summary>Records claim <paramref name="id"/> with its seed and paper value taken from <see cref="ClaimCatalog"/>.</summary>
    public ClaimVerdict Record(int id, Verdict verdict, string kitValue, string why)
    {
        var claim = ClaimCatalog.Get(id);
        return Record(new ClaimVerdict(id, claim.Seed, claim.PaperValue, kitValue, Scale, verdict, why));
    }

    /// <summary>Records claim <paramref name="id"/> as held when <paramref name="holds"/>, else as failed.</summary>
    public ClaimVerdict Check(int id, bool holds, string kitValue, string why) =>
        Record(id, holds ? Verdict.Held : Verdict.Failed, kitValue, why);

    /// <summary>Prints a summary; throws when a claim failed, unless the scale is smoke.</summary>
    public void Enforce()
    {
        if (_verdicts.Count == 0) throw new InvalidOperationException("No claim verdict was recorded.");
        var failed = _verdicts.Where(v => v.Verdict == Verdict.Failed).ToList();
        int held = _verdicts.Count(v => v.Verdict == Verdict.Held);
        Console.WriteLine($"{held} held, {failed.Count} failed, {_verdicts.Count - held - failed.Count} not checkable here, at scale '{Scale}'.");
        if (failed.Count == 0 || Scale == "smoke") return;
        throw new ClaimFailedException($"{failed.Count} of {_verdicts.Count} claims do not hold at scale '{Scale}': "
            + string.Join("; ", failed.Select(v => $"claim {v.Id}: {v.Why} ({v.KitValue})")) + ".");
    }
}
