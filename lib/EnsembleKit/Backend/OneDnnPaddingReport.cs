namespace EnsembleKit.Backend;

/// <summary>
/// What <see cref="OneDnnPaddingCheck.Run"/> found: one row a shape, and a one-line verdict.
/// <paramref name="FillSwitchable"/> is false when libtorch's allocator flags could not be reached (libc10 not loaded from
/// the libtorch folder), in which case nothing ran and <paramref name="Shapes"/> is empty. <paramref name="JunkFillWorks"/>
/// says whether a new tensor held NaN under the junk fill: without that, finite rows would prove nothing.
/// </summary>
public sealed record OneDnnPaddingReport(bool FillSwitchable, bool JunkFillWorks, int Passes, IReadOnlyList<OneDnnPaddingShape> Shapes)
{
    /// <summary>The verdict when junk reached some shape's output without the zero fill.</summary>
    public const string BugShowsVerdict = "upstream bug shows here: the zero fill is needed";
    /// <summary>The verdict when every shape was finite even with junk in new memory.</summary>
    public const string BugHiddenVerdict = "upstream bug does not show on this machine";
    /// <summary>The verdict when some shape was not finite even with the zero fill.</summary>
    public const string ZeroFillFailsVerdict = "the zero fill does NOT keep every shape finite here: oneDNN reads memory it cannot reach";
    /// <summary>The verdict when the junk fill put no NaN into new memory (and no shape showed junk).</summary>
    public const string JunkFillInertVerdict = "cannot tell: the allocator's junk fill put no NaN into new memory";
    /// <summary>The verdict when the allocator's fill could not be switched.</summary>
    public const string CannotRunVerdict = "cannot run: libtorch's CPU allocator fill flags are not reachable (libc10.so not loaded from the libtorch folder)";

    /// <summary>Whether junk in new memory reached the output of any shape without the zero fill.</summary>
    public bool BugShows => Shapes.Any(s => s.JunkReachesOutput);

    /// <summary>Whether every shape was finite in every pass with the zero fill (the kit's cure holds).</summary>
    public bool ZeroFillKeepsFinite => FillSwitchable && Shapes.All(s => s.ZeroFillFinite);

    /// <summary>One line: whether the upstream bug shows here and whether the zero fill is needed and enough.</summary>
    public string Verdict =>
        !FillSwitchable ? CannotRunVerdict
        : !ZeroFillKeepsFinite ? ZeroFillFailsVerdict
        : BugShows ? BugShowsVerdict
        : !JunkFillWorks ? JunkFillInertVerdict
        : BugHiddenVerdict;

    /// <summary>A table for the console: a header line, then one line a shape (indented by two spaces).</summary>
    public IEnumerable<string> Table()
    {
        yield return $"  {"channels",-12}{"junk fill, no zero fill",-44}zero fill (after the junk)";
        foreach (var s in Shapes)
            yield return $"  {$"{s.InputChannels} -> {s.OutputChannels}",-12}{s.JunkColumn,-44}{s.ZeroColumn}";
    }
}

/// <summary>
/// One shape of <see cref="OneDnnPaddingCheck"/>: how many of <paramref name="Passes"/> forward-and-backward passes of a
/// 3×3 convolution from <paramref name="InputChannels"/> to <paramref name="OutputChannels"/> channels gave a non-finite
/// output or gradient with the allocator's junk fill (<paramref name="NonFiniteWithJunk"/>) and with the zero fill
/// (<paramref name="NonFiniteWithZero"/>).
/// </summary>
public sealed record OneDnnPaddingShape(int InputChannels, int OutputChannels, int Passes, int NonFiniteWithJunk, int NonFiniteWithZero)
{
    /// <summary>Junk left in new memory reached the output or gradients in at least one pass.</summary>
    public bool JunkReachesOutput => NonFiniteWithJunk > 0;

    /// <summary>Every pass was finite with the zero fill.</summary>
    public bool ZeroFillFinite => NonFiniteWithZero == 0;

    /// <summary>E.g. "junk reaches the output in 3 of 3 passes" or "finite in 3 of 3 passes".</summary>
    public string JunkColumn => JunkReachesOutput
        ? $"junk reaches the output in {NonFiniteWithJunk} of {Passes} passes"
        : $"finite in {Passes} of {Passes} passes";

    /// <summary>E.g. "finite in 3 of 3 passes" or "non-finite in 1 of 3 passes".</summary>
    public string ZeroColumn => ZeroFillFinite
        ? $"finite in {Passes} of {Passes} passes"
        : $"non-finite in {NonFiniteWithZero} of {Passes} passes";
}
