namespace EnsembleKit.Experiments;

/// <summary>
/// A notebook's claim verdicts, the one way a notebook checks a claim: each verdict prints the human sentence and the
/// <c>claim-verdict:</c> JSON line that <c>kit claims</c> reads, so one claim that does not hold still lets every later
/// one be measured and printed; <see cref="Enforce"/> (the notebook's last cell) then throws
/// <see cref="ClaimFailedException"/> when an enforced check failed at <c>cpu</c> or <c>full</c> scale. At <c>smoke</c>
/// scale (a few epochs on a slice of the data, meant only to show that every cell runs) nothing is enforced.
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
    public ClaimVerdict Record(int id, Verdict verdict, string kitValue, string why) => Record(FromCatalogue(id, verdict, kitValue, why));

    /// <summary>Records claim <paramref name="id"/> as held when <paramref name="holds"/>, else as failed.</summary>
    public ClaimVerdict Check(int id, bool holds, string kitValue, string why) => Record(id, HeldOrFailed(holds), kitValue, why);

    /// <summary>
    /// Records a check of <paramref name="experiment"/>, a result of the sources that seed-spec §4 does not list (e.g.
    /// <c>"E2.5.5: SSE vs MotherNets"</c>), as held or failed; enforced like a claim.
    /// </summary>
    public ClaimVerdict Check(string experiment, bool holds, string kitValue, string why)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experiment);
        return Record(new ClaimVerdict(null, ClaimVerdict.NotInCatalogue, ClaimVerdict.NotInCatalogue, kitValue, Scale,
            HeldOrFailed(holds), why, experiment));
    }

    /// <summary>
    /// Records a second reading of claim <paramref name="id"/> (its literal wording, a stricter or a looser bar) that is
    /// printed and read by <c>kit claims</c> but never fails the run.
    /// </summary>
    public ClaimVerdict Note(int id, bool holds, string kitValue, string why) =>
        Record(FromCatalogue(id, HeldOrFailed(holds), kitValue, why) with { PrintedOnly = true });

    /// <summary>Prints a summary; throws when an enforced check failed, unless the scale is smoke.</summary>
    public void Enforce()
    {
        if (_verdicts.Count == 0) throw new InvalidOperationException("No claim verdict was recorded.");
        var enforced = _verdicts.Where(v => !v.PrintedOnly).ToList();
        var notes = _verdicts.Where(v => v.PrintedOnly).ToList();
        var failed = enforced.Where(v => v.Verdict == Verdict.Failed).ToList();
        int held = enforced.Count(v => v.Verdict == Verdict.Held);
        string printedOnly = notes.Count == 0 ? ""
            : $"; printed, not enforced: {notes.Count(v => v.Verdict == Verdict.Held)} held, {notes.Count(v => v.Verdict == Verdict.Failed)} failed";
        Console.WriteLine($"{held} held, {failed.Count} failed, {enforced.Count - held - failed.Count} not checkable here, at scale '{Scale}'{printedOnly}.");
        if (failed.Count == 0 || Scale == "smoke") return;
        throw new ClaimFailedException($"{failed.Count} of {enforced.Count} claims do not hold at scale '{Scale}': "
            + string.Join("; ", failed.Select(v => $"{v.Subject}: {v.Why} ({v.KitValue})")) + ".");
    }

    /// <summary>Claim <paramref name="id"/>'s verdict at this ledger's scale, with its seed and paper value from <see cref="ClaimCatalog"/>.</summary>
    ClaimVerdict FromCatalogue(int id, Verdict verdict, string kitValue, string why)
    {
        var claim = ClaimCatalog.Get(id);
        return new ClaimVerdict(id, claim.Seed, claim.PaperValue, kitValue, Scale, verdict, why);
    }

    static Verdict HeldOrFailed(bool holds) => holds ? Verdict.Held : Verdict.Failed;
}
