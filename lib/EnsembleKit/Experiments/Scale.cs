namespace EnsembleKit.Experiments;

/// <summary>
/// How big a notebook's run is: <c>smoke</c> (seconds, for the tests), <c>cpu</c> (what the committed outputs show on a
/// 2-core machine) or <c>full</c> (the papers' recipe, for a GPU). A notebook's parameter cell sets the name; the rest of
/// the notebook picks its sizes with <see cref="Pick{T}"/> instead of repeating the check and the switch.
/// <code>
/// var run = Scale.Parse(scale);
/// int epochs = run.Pick(smoke: 2, cpu: 20, full: 200);
/// </code>
/// </summary>
public readonly record struct Scale
{
    public static readonly string[] Names = ["smoke", "cpu", "full"];

    Scale(string name) => Name = name;

    /// <summary>"smoke", "cpu" or "full".</summary>
    public string Name { get; }

    public bool IsSmoke => Name == "smoke";
    public bool IsFull => Name == "full";

    /// <summary>The scale called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Any other name; the message lists the three.</exception>
    public static Scale Parse(string name) => Array.IndexOf(Names, name) >= 0
        ? new Scale(name)
        : throw new ArgumentException($"scale must be smoke, cpu or full; got '{name}'.", nameof(name));

    /// <summary>The value for this scale.</summary>
    public T Pick<T>(T smoke, T cpu, T full) => Name switch
    {
        "smoke" => smoke,
        "cpu" => cpu,
        "full" => full,
        _ => throw new InvalidOperationException("a Scale is made by Scale.Parse; default(Scale) has no name."),
    };

    public override string ToString() => Name ?? "(none)";
}
