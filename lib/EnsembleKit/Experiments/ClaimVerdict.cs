using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EnsembleKit.Experiments;

/// <summary>
/// A notebook's structured verdict on claim <paramref name="Id"/> of seed-spec §4 (or, when that is null, on a check of
/// <paramref name="Experiment"/>, which §4 does not list): the paper's value, the kit's value, the scale it ran at and one
/// sentence why. A <paramref name="PrintedOnly"/> verdict is shown but never fails the run (a second reading of a claim,
/// e.g. its literal one). <see cref="VerdictLedger.Record(ClaimVerdict)"/> prints it as a human sentence and as one
/// machine-readable line (<see cref="ToLine"/>), which <c>kit claims</c> reads back from the notebook's output.
/// </summary>
public sealed record ClaimVerdict(
    [property: JsonPropertyName("id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Id,
    [property: JsonPropertyName("seed")] string Seed,
    [property: JsonPropertyName("paper")] string PaperValue,
    [property: JsonPropertyName("kit")] string KitValue,
    [property: JsonPropertyName("scale")] string Scale,
    [property: JsonPropertyName("verdict")] Verdict Verdict,
    [property: JsonPropertyName("why")] string Why,
    [property: JsonPropertyName("experiment"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Experiment = null,
    // Left out of the line when false, so the lines of enforced verdicts read as they did before printed-only ones existed.
    [property: JsonPropertyName("printed_only"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool PrintedOnly = false)
{
    /// <summary>The seed and paper value of a check that seed-spec §4 does not list.</summary>
    public const string NotInCatalogue = "—";

    /// <summary>The prefix of the machine-readable line.</summary>
    public const string LinePrefix = "claim-verdict: ";

    // Relaxed escaping keeps ≥, ±, → and quotes-in-text readable; control characters (newlines) are still escaped,
    // so the JSON always stays on one line.
    static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>
    /// Checks the fields: id 1-25 of the catalogue with its seed, or no id and an experiment with seed
    /// <see cref="NotInCatalogue"/>; non-empty values, scale and reason.
    /// </summary>
    public ClaimVerdict Validated()
    {
        if (Id is { } id)
        {
            var claim = ClaimCatalog.Get(id);
            if (Seed != claim.Seed) throw new ArgumentException($"claim {id} comes from seed {claim.Seed}, not '{Seed}'.", nameof(Seed));
            if (Experiment is not null) throw new ArgumentException($"claim {id} is in the catalogue; an experiment label is only for checks it does not list.", nameof(Experiment));
        }
        else
        {
            if (string.IsNullOrWhiteSpace(Experiment)) throw new ArgumentException("a verdict needs a claim id or an experiment.", nameof(Experiment));
            if (Seed != NotInCatalogue) throw new ArgumentException($"a check of '{Experiment}' has seed '{NotInCatalogue}', not '{Seed}'.", nameof(Seed));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(PaperValue);
        ArgumentException.ThrowIfNullOrWhiteSpace(KitValue);
        ArgumentException.ThrowIfNullOrWhiteSpace(Scale);
        ArgumentException.ThrowIfNullOrWhiteSpace(Why);
        if (!Enum.IsDefined(Verdict)) throw new ArgumentException($"verdict is {(int)Verdict}, not one of Held, Failed, NotCheckableHere.", nameof(Verdict));
        return this;
    }

    /// <summary>What the verdict is about: <c>claim 7</c>, or the experiment's label.</summary>
    [JsonIgnore]
    public string Subject => Id is { } id ? $"claim {id}" : Experiment ?? "";

    /// <summary><c>claim-verdict: {"id":7,...}</c>: the verdict as JSON on one line.</summary>
    public string ToLine() => LinePrefix + JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// The sentence a reader sees, e.g. <c>Claim 7 (S1) held at scale 'cpu': why (kit: ...; paper: ...).</c>, or
    /// <c>Check of E2.5.5: ... failed at scale 'cpu' (printed, not enforced): why (kit: ...).</c>
    /// </summary>
    public string ToSentence()
    {
        string subject = Id is { } id ? $"Claim {id} ({Seed})" : $"Check of {Experiment}";
        string printed = PrintedOnly ? " (printed, not enforced)" : "";
        string paper = PaperValue == NotInCatalogue ? "" : $"; paper: {PaperValue}";
        return $"{subject} {VerdictText(Verdict)} at scale '{Scale}'{printed}: {Why} (kit: {KitValue}{paper}).";
    }

    /// <summary>The verdict as the ledger writes it: held, failed, not checkable here.</summary>
    public static string VerdictText(Verdict verdict) => verdict switch
    {
        Verdict.Held => "held",
        Verdict.Failed => "failed",
        Verdict.NotCheckableHere => "not checkable here",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "unknown verdict."),
    };

    /// <summary>The verdict of a <see cref="ToLine"/> line; null when <paramref name="line"/> is not one.</summary>
    /// <exception cref="FormatException">The line has the prefix but its JSON is not a valid verdict.</exception>
    public static ClaimVerdict? TryParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var trimmed = line.Trim();
        if (!trimmed.StartsWith(LinePrefix, StringComparison.Ordinal)) return null;
        try
        {
            var verdict = JsonSerializer.Deserialize<ClaimVerdict>(trimmed[LinePrefix.Length..], Json)
                ?? throw new FormatException("the JSON is null.");
            return verdict.Validated();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException)
        {
            throw new FormatException($"not a valid claim-verdict line ({e.Message}): {trimmed}", e);
        }
    }
}
