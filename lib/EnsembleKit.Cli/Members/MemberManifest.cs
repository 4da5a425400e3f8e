using System.Text.Json;
using EnsembleKit.Backend;

namespace EnsembleKit.Cli.Members;

/// <summary>
/// What a finished member records beside its logits (<c>manifest.json</c>): the recipe it was trained under, its index
/// and seed, its logits file's name, shape and SHA-256, and how the training went. Written last, atomically: a member
/// folder with a manifest is complete; one without is partial (a checkpoint) or empty.
/// </summary>
public sealed record MemberManifest
{
    public required MemberRecipe Recipe { get; init; }
    public required int Index { get; init; }
    public required long Seed { get; init; }
    public required int Epochs { get; init; }
    /// <summary>The logits file, relative to the member's folder.</summary>
    public required string Logits { get; init; }
    /// <summary>Shape of the test-set logits, <c>[N, C]</c>.</summary>
    public required long[] LogitsShape { get; init; }
    /// <summary>Lower-case hex SHA-256 of the logits file's bytes.</summary>
    public required string LogitsSha256 { get; init; }
    /// <summary>The file of the logits on the out-of-distribution set (MNIST digits), or null when it was unavailable.</summary>
    public string? OodLogits { get; init; }
    public string? OodLogitsSha256 { get; init; }
    public double TrainSeconds { get; init; }
    /// <summary>Per-epoch history (<see cref="Training.TrainingHistory.ToCsv"/>).</summary>
    public string History { get; init; } = "";
    public string Device { get; init; } = "";
    public int Threads { get; init; }
    public DateTime FinishedUtc { get; init; }

    static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    public void Write(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>Reads a manifest; an <see cref="InvalidDataException"/> names the file when it is not one.</summary>
    public static MemberManifest Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<MemberManifest>(File.ReadAllText(path), s_json)
                ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a member manifest ({e.Message}).", e);
        }
    }
}
