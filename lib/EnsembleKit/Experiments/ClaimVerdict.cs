using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EnsembleKit.Experiments;

/// <summary>
/// A notebook's structured verdict on claim <paramref name="Id"/> of seed-spec §4: the paper's value, the kit's value, the
/// scale it ran at and one sentence why. <see cref="VerdictLedger.Record(ClaimVerdict)"/> prints it as a human sentence
/// and as one machine-readable line (<see cref="ToLine"/>), which <c>kit claims</c> reads back from the notebook's output.
/// </summary>
public sealed record ClaimVerdict(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("seed")] string Seed,
    [property: JsonPropertyName("paper")] string PaperValue,
    [property: JsonPropertyName("kit")] string KitValue,
    [property: JsonPropertyName("scale")] string Scale,
    [property: JsonPropertyName("verdict")] Verdict Verdict,
    [property: JsonPropertyName("why")] string Why)
{
    /// <summary>The prefix of the machine-readable line.</summary>
    public const string LinePrefix = "claim-verdict: ";

    // Relaxed escaping keeps ≥, ±, → and quotes-in-text readable; control characters (newlines) are still escaped,
    // so the JSON always stays on one line.
    static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Checks the fields: id 1-25 of the catalogue with its seed, non-empty values, scale and reason.</summary>
    public ClaimVerdict Validated()
    {
        var claim = ClaimCatalog.Get(Id);
        if (Seed != claim.Seed) throw new ArgumentException($"claim {Id} comes from seed {claim.Seed}, not '{Seed}'.", nameof(Seed));
        ArgumentException.ThrowIfNullOrWhiteSpace(PaperValue);
        ArgumentException.ThrowIfNullOrWhiteSpace(KitValue);
        ArgumentException.ThrowIfNullOrWhiteSpace(Scale);
        ArgumentException.ThrowIfNullOrWhiteSpace(Why);
        if (!Enum.IsDefined(Verdict)) throw new ArgumentException($"verdict is {(int)Verdict}, not one of Held, Failed, NotCheckableHere.", nameof(Verdict));
        return this;
    }

    /// <summary><c>claim-verdict: {"id":7,...}</c>: the verdict as JSON on one line.</summary>
    public string ToLine() => LinePrefix + JsonSerializer.Serialize(this, Json);

    /// <summary>The sentence a reader sees, e.g. <c>Claim 7 (S1) held at scale 'cpu': why (kit: ...; paper: ...).</c></summary>
    public string ToSentence() =>
        $"Claim {Id} ({Seed}) {VerdictText(Verdict)} at scale '{Scale}': {Why} (kit: {KitValue}; paper: {PaperValue}).";

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
