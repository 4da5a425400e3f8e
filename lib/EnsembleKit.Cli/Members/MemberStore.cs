using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using EnsembleKit.Backend;
using EnsembleKit.Cli.Experiments;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Cli.Members;

/// <summary>
/// The members of one experiment in a runs folder shared by the machines that train them:
/// <c>RUNS/EXPERIMENT/recipe.json</c> (the recipe the folder holds, written by the first member to start) and one
/// folder a member, <c>member-007/</c>, with its per-epoch <c>checkpoint</c> (<see cref="Checkpoint"/>), its test-set
/// <c>logits.bin</c> (a TorchSharp tensor file) and, last, its <c>manifest.json</c> (<see cref="MemberManifest"/>).
/// Every file is written atomically, so a member killed at any moment leaves a complete checkpoint or nothing, and
/// members on different machines never write the same file (recipe.json aside, which they write with equal contents).
/// </summary>
public sealed class MemberStore
{
    public const string RecipeFileName = "recipe.json";
    public const string CheckpointFileName = "checkpoint";
    public const string LogitsFileName = "logits.bin";
    public const string OodLogitsFileName = "ood-logits.bin";
    public const string ManifestFileName = "manifest.json";

    static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <param name="runsFolder">The shared runs folder.</param>
    /// <param name="experiment">The recipe's name; its members live in <c>runsFolder/experiment</c>.</param>
    public MemberStore(string runsFolder, string experiment)
    {
        if (string.IsNullOrWhiteSpace(experiment) || experiment.IndexOfAny(['/', '\\']) >= 0 || experiment is "." or "..")
            throw new ArgumentException($"experiment must be a plain name; got '{experiment}'.", nameof(experiment));
        Folder = Path.Combine(Path.GetFullPath(runsFolder), experiment);
    }

    /// <summary>The experiment's folder, <c>RUNS/EXPERIMENT</c>.</summary>
    public string Folder { get; }
    public string RecipeFile => Path.Combine(Folder, RecipeFileName);
    public string MemberFolder(int index) => Path.Combine(Folder, $"member-{index.ToString("000", CultureInfo.InvariantCulture)}");
    public string CheckpointPath(int index) => Path.Combine(MemberFolder(index), CheckpointFileName);
    public string LogitsPath(int index) => Path.Combine(MemberFolder(index), LogitsFileName);
    public string ManifestPath(int index) => Path.Combine(MemberFolder(index), ManifestFileName);

    /// <summary>The recipe the folder holds, or null when no member has started.</summary>
    public MemberRecipe? ReadRecipe()
    {
        if (!File.Exists(RecipeFile)) return null;
        try
        {
            return JsonSerializer.Deserialize<MemberRecipe>(File.ReadAllText(RecipeFile), s_json)
                ?? throw new InvalidDataException($"{RecipeFile} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{RecipeFile} is not a member recipe ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Trains member <paramref name="index"/> of <paramref name="recipe"/> into the folder: nothing when it is already
    /// complete under the same recipe, else resuming from its checkpoint (or from scratch), then writing its test-set
    /// logits and manifest. A folder or member written under another recipe is refused (<see cref="MemberStoreException"/>).
    /// </summary>
    public MemberTrainOutcome Train(MemberRecipe recipe, int index, IProgressSink progress)
    {
        recipe.Validated();
        if (index < 0 || index >= recipe.Members)
            throw new ArgumentOutOfRangeException(nameof(index), $"member index must be in [0, {recipe.Members - 1}]; got {index}.");
        Claim(recipe);
        if (File.Exists(ManifestPath(index)))
        {
            var recorded = MemberManifest.Read(ManifestPath(index));
            var differences = recipe.DifferencesFrom(recorded.Recipe);
            if (differences.Count > 0) throw Refused($"member {index} in {MemberFolder(index)} was trained under another recipe", differences);
            // Complete and intact: nothing to do. Damaged logits are recomputed from the final checkpoint below.
            if (LogitsProblem(index, recorded) is null) return new MemberTrainOutcome(false, recorded, recipe.Epochs);
        }

        TorchRuntime.EnsureInitialized();
        int resumedFrom = EpochsInCheckpoint(index);
        using var train = recipe.LoadTrain();
        using var test = MemberRecipe.LoadTest();
        using var ood = FmnistDeepEnsembleExperiment.TryLoadOod();
        var clock = Stopwatch.StartNew();
        var (logits, oodLogits, history) = recipe.TrainMember(index, train, test, ood, CheckpointPath(index), progress);
        using (logits)
        using (oodLogits)
        {
            var bytes = TensorBytes(logits);
            AtomicFile.WriteAllBytes(LogitsPath(index), bytes);
            var oodBytes = oodLogits is null ? null : TensorBytes(oodLogits);
            if (oodBytes is not null) AtomicFile.WriteAllBytes(Path.Combine(MemberFolder(index), OodLogitsFileName), oodBytes);
            var manifest = new MemberManifest
            {
                Recipe = recipe,
                Index = index,
                Seed = recipe.MemberSeed(index),
                Epochs = recipe.Epochs,
                Logits = LogitsFileName,
                LogitsShape = logits.shape,
                LogitsSha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
                OodLogits = oodBytes is null ? null : OodLogitsFileName,
                OodLogitsSha256 = oodBytes is null ? null : Convert.ToHexStringLower(SHA256.HashData(oodBytes)),
                TrainSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
                History = history.ToCsv(),
                Device = test.Inputs.device.ToString(),
                Threads = get_num_threads(),
                FinishedUtc = DateTime.UtcNow,
            };
            // The manifest last: its presence is what marks the member complete.
            manifest.Write(ManifestPath(index));
            return new MemberTrainOutcome(true, manifest, resumedFrom);
        }
    }

    /// <summary>Every member of the folder's recipe (0 to M - 1), with its state; empty when no member has started.</summary>
    public IReadOnlyList<MemberStatus> Status()
    {
        var recipe = ReadRecipe();
        if (recipe is null) return [];
        var list = new List<MemberStatus>();
        for (int i = 0; i < recipe.Members; i++) list.Add(StatusOf(recipe, i));
        return list;
    }

    MemberStatus StatusOf(MemberRecipe recipe, int index)
    {
        if (File.Exists(ManifestPath(index)))
        {
            MemberManifest manifest;
            try { manifest = MemberManifest.Read(ManifestPath(index)); }
            catch (InvalidDataException e) { return new MemberStatus(index, MemberState.Damaged, Detail: e.Message); }
            if (LogitsProblem(index, manifest) is { } problem) return new MemberStatus(index, MemberState.Damaged, manifest, Detail: problem);
            var differences = recipe.DifferencesFrom(manifest.Recipe, "member", "folder");
            var detail = differences.Count == 0 ? "" : $"trained under another recipe ({string.Join("; ", differences)})";
            return new MemberStatus(index, MemberState.Complete, manifest, manifest.Epochs, detail);
        }
        if (File.Exists(CheckpointPath(index)))
        {
            try { return new MemberStatus(index, MemberState.Partial, EpochsDone: EpochsInCheckpoint(index)); }
            catch (CheckpointException e) { return new MemberStatus(index, MemberState.Damaged, Detail: e.Message); }
        }
        return new MemberStatus(index, MemberState.Missing);
    }

    /// <summary>
    /// Loads the logits of every complete member. Refuses (<see cref="MemberStoreException"/>) a folder without one, and
    /// a mix of recipes: every complete member must have been trained under the folder's recipe.
    /// </summary>
    public CombinedMembers LoadComplete()
    {
        var recipe = ReadRecipe() ?? throw new MemberStoreException($"no members in {Folder}: train some first (kit member train).");
        var status = Status();
        var complete = status.Where(s => s.State == MemberState.Complete).ToList();
        if (complete.Count == 0)
            throw new MemberStoreException($"no complete member in {Folder} ({Summary(status)}): train some first (kit member train).");
        foreach (var member in complete)
            if (recipe.DifferencesFrom(member.Manifest!.Recipe, "member", "folder") is { Count: > 0 } differences)
                throw Refused($"member {member.Index} in {MemberFolder(member.Index)} was trained under another recipe than the folder's; members of different recipes do not combine", differences);

        using var scope = NewDisposeScope();
        var logits = complete.Select(m => ReadTensor(LogitsPath(m.Index))).ToList();
        var stacked = stack(logits, 0).MoveToOuterDisposeScope();
        // The OOD columns need every member's logits on the OOD set; a member trained without them leaves the columns empty.
        var oodStacked = complete.All(m => m.Manifest!.OodLogits is not null)
            ? stack(complete.Select(m => ReadTensor(Path.Combine(MemberFolder(m.Index), m.Manifest!.OodLogits!))).ToList(), 0).MoveToOuterDisposeScope()
            : null;
        return new CombinedMembers(recipe, complete.Select(m => m.Manifest!).ToList(), stacked, oodStacked);
    }

    /// <summary>"2 complete, 1 partial, 0 missing" for a status list.</summary>
    public static string Summary(IReadOnlyList<MemberStatus> status) =>
        string.Join(", ", Enum.GetValues<MemberState>().Select(state => (state, count: status.Count(s => s.State == state)))
            .Where(p => p.count > 0 || p.state != MemberState.Damaged)
            .Select(p => $"{p.count} {p.state.ToString().ToLowerInvariant()}"));

    /// <summary>Writes the folder's recipe when it has none; refuses one that holds another recipe.</summary>
    void Claim(MemberRecipe recipe)
    {
        if (ReadRecipe() is { } recorded)
        {
            var differences = recipe.DifferencesFrom(recorded);
            if (differences.Count > 0) throw Refused($"{Folder} holds members of another recipe", differences);
            return;
        }
        // Members starting at once on several machines all write the same text; the last rename wins, harmlessly.
        AtomicFile.WriteAllText(RecipeFile, JsonSerializer.Serialize(recipe, s_json));
    }

    MemberStoreException Refused(string what, IReadOnlyList<string> differences) =>
        new($"{what}: {string.Join("; ", differences)}. Use another --runs folder, or delete {Folder} to start afresh.");

    /// <summary>Why a member's logits cannot be used (missing file, checksum differs), or null when they can.</summary>
    string? LogitsProblem(int index, MemberManifest manifest)
    {
        foreach (var (file, expected) in new[] { (manifest.Logits, manifest.LogitsSha256), (manifest.OodLogits, manifest.OodLogitsSha256) })
        {
            if (file is null) continue;
            var path = Path.Combine(MemberFolder(index), file);
            if (!File.Exists(path)) return $"{path} is missing";
            var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
            if (sha != expected) return $"{path} does not match its manifest's SHA-256";
        }
        return null;
    }

    /// <summary>Epochs done in a member's checkpoint, 0 when it has none.</summary>
    int EpochsInCheckpoint(int index)
    {
        var path = CheckpointPath(index);
        return File.Exists(path) ? Checkpoint.EpochsDone(path) : 0;
    }

    static byte[] TensorBytes(Tensor tensor)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) tensor.Save(writer);
        return buffer.ToArray();
    }

    static Tensor ReadTensor(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        return Tensor.Load(reader);
    }
}
