using EnsembleKit.Cli;
using EnsembleKit.Cli.Experiments;
using EnsembleKit.Cli.Members;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Cli;

/// <summary>
/// Members of a recipe trained one at a time into a runs folder (<see cref="MemberStore"/>): equal to the one-machine
/// job's members, not trained twice, resumed after a kill, refused under another recipe, combined from partial sets.
/// </summary>
public class MemberStoreTests : IDisposable
{
    const string Experiment = FmnistDeepEnsembleExperiment.Name;
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    static MemberRecipe Recipe(int members = 3, int epochs = 2, long seed = 0, long trainLimit = 600) => new(Experiment, members, epochs, seed, trainLimit);

    /// <summary>A progress sink that stops training, like a kill, right after epoch <paramref name="epoch"/>'s checkpoint.</summary>
    sealed class KillAfterEpoch(int epoch) : IProgressSink
    {
        public void Report(ProgressUpdate update)
        {
            if (update.Done == epoch) throw new OperationCanceledException($"killed after epoch {epoch}");
        }
    }

    static string Snapshot(MemberStore store, int index) => string.Join('\n', Directory.GetFiles(store.MemberFolder(index)).Order()
        .Select(f => $"{f} {File.GetLastWriteTimeUtc(f):O} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}"));

    [Fact]
    public void MembersTrainedApartEqualTheMainJobsMembersAndCombineToItsTable()
    {
        var recipe = Recipe();
        var store = new MemberStore(_temp.NewFolder(), Experiment);
        for (int i = recipe.Members - 1; i >= 0; i--) Assert.True(store.Train(recipe, i, ProgressSinks.None).Trained);

        using var members = store.LoadComplete();
        using var train = recipe.LoadTrain();
        using var test = MemberRecipe.LoadTest();
        using var ensemble = DeepEnsemble.Train(Mlp.Seed000, train, FmnistDeepEnsembleExperiment.Options(recipe.Epochs, ProgressSinks.None),
            recipe.Members, CombinationRule.MeanLogits, recipe.Seed);
        using var expected = ensemble.MemberLogits(test);
        Assert.Equal([0, 1, 2], members.Indices);
        Assert.Equal(expected.shape, members.Logits.shape);
        using (var same = expected.eq(members.Logits).all())
            Assert.True(same.item<bool>(), "members trained apart differ from DeepEnsemble.Train's");

        var output = _temp.NewFolder();
        Assert.Equal(0, KitCli.RunInProcess("ensemble", "combine", "--experiment", Experiment, "--runs", Path.GetDirectoryName(store.Folder)!, "--out", output).Code);
        var main = FmnistDeepEnsembleExperiment.Run(recipe.Members, recipe.Epochs, recipe.Seed, ProgressSinks.None, recipe.TrainLimit);
        Assert.Equal(FmnistDeepEnsembleExperiment.ToCsv(main), File.ReadAllText(Path.Combine(output, "results.csv")));
    }

    [Fact]
    public void CompleteMemberIsNotTrainedAgain()
    {
        var recipe = Recipe(members: 2, epochs: 1);
        var store = new MemberStore(_temp.NewFolder(), Experiment);
        var first = store.Train(recipe, 1, ProgressSinks.None);
        Assert.True(first.Trained);
        var before = Snapshot(store, 1);
        Thread.Sleep(20); // a rewrite would show in the timestamps

        var second = store.Train(recipe, 1, ProgressSinks.None);
        Assert.False(second.Trained);
        Assert.Equal(first.Manifest.LogitsSha256, second.Manifest.LogitsSha256);
        Assert.Equal(before, Snapshot(store, 1));
    }

    [Fact]
    public void KilledMemberResumesAfterItsLastEpochAndEndsAsAnUninterruptedOne()
    {
        var recipe = Recipe(members: 2, epochs: 3);
        var store = new MemberStore(_temp.NewFolder(), Experiment);
        Assert.Throws<OperationCanceledException>(() => store.Train(recipe, 1, new KillAfterEpoch(2)));
        Assert.False(File.Exists(store.ManifestPath(1)));
        var partial = store.Status()[1];
        Assert.Equal((MemberState.Partial, 2), (partial.State, partial.EpochsDone));

        var resumed = store.Train(recipe, 1, ProgressSinks.None);
        Assert.True(resumed.Trained);
        Assert.Equal(2, resumed.ResumedFromEpoch);
        Assert.Equal(3, TrainingHistory.FromCsv("m", resumed.Manifest.History).Epochs.Count);

        var clean = new MemberStore(_temp.NewFolder(), Experiment).Train(recipe, 1, ProgressSinks.None);
        Assert.Equal(0, clean.ResumedFromEpoch);
        Assert.Equal(clean.Manifest.LogitsSha256, resumed.Manifest.LogitsSha256);
    }

    [Fact]
    public void FolderOrMemberOfAnotherRecipeIsRefused()
    {
        var runs = _temp.NewFolder();
        var store = new MemberStore(runs, Experiment);
        store.Train(Recipe(members: 2, epochs: 1), 0, ProgressSinks.None);
        var before = Snapshot(store, 0);

        var refused = Assert.Throws<MemberStoreException>(() => store.Train(Recipe(members: 2, epochs: 2), 1, ProgressSinks.None));
        Assert.Contains("epochs: recorded 1, this run 2", refused.Message);
        Assert.Contains(store.Folder, refused.Message);
        Assert.False(Directory.Exists(store.MemberFolder(1)));
        Assert.Equal(before, Snapshot(store, 0));

        // The same refusal from the command: exit code 1, one line.
        var (code, stderr) = KitCli.RunInProcess("member", "train", "--experiment", Experiment, "--index", "0", "--members", "2", "--epochs", "1",
            "--seed", "4", "--train-limit", "600", "--runs", runs, "--threads", "1");
        Assert.Equal(1, code);
        Assert.Single(KitCli.Lines(stderr));
        Assert.Contains("seed: recorded 0, this run 4", stderr);
    }

    [Fact]
    public void StatusListsCompletePartialAndMissingMembers()
    {
        var recipe = Recipe(members: 3, epochs: 3);
        var store = new MemberStore(_temp.NewFolder(), Experiment);
        Assert.Empty(store.Status());
        store.Train(recipe, 0, ProgressSinks.None);
        Assert.Throws<OperationCanceledException>(() => store.Train(recipe, 2, new KillAfterEpoch(1)));

        var status = store.Status();
        Assert.Equal([MemberState.Complete, MemberState.Missing, MemberState.Partial], status.Select(s => s.State));
        Assert.Equal(1, status[2].EpochsDone);
        Assert.Equal("1 missing, 1 partial, 1 complete", MemberStore.Summary(status));

        // A complete member whose logits changed is damaged, and not combined.
        File.AppendAllText(store.LogitsPath(0), "x");
        Assert.Equal(MemberState.Damaged, store.Status()[0].State);
        Assert.Contains("no complete member", Assert.Throws<MemberStoreException>(store.LoadComplete).Message);

        var stdout = new StringWriter();
        var original = Console.Out;
        Console.SetOut(stdout);
        try { Assert.Equal(0, Program.Main(["member", "status", "--experiment", Experiment, "--runs", Path.GetDirectoryName(store.Folder)!])); }
        finally { Console.SetOut(original); }
        var lines = KitCli.Lines(stdout.ToString());
        Assert.StartsWith("member 0: damaged", lines[1]);
        Assert.Equal("member 1: missing", lines[2]);
        Assert.Equal("member 2: partial (1 of 3 epochs)", lines[3]);
    }

    [Fact]
    public void CombineUsesTheCompleteMembersAndRefusesAMixOfRecipes()
    {
        var recipe = Recipe(members: 3, epochs: 1);
        var runs = _temp.NewFolder();
        var store = new MemberStore(runs, Experiment);
        store.Train(recipe, 0, ProgressSinks.None);
        store.Train(recipe, 2, ProgressSinks.None);

        var partialOut = _temp.NewFolder();
        Assert.Equal(0, KitCli.RunInProcess("ensemble", "combine", "--experiment", Experiment, "--runs", runs, "--out", partialOut).Code);
        var partial = File.ReadAllLines(Path.Combine(partialOut, "results.csv"));
        Assert.Equal(["member 1", "member 3", "ensemble"], partial.Skip(1).Select(l => l.Split(',')[0]));

        // The partial ensemble is the mean-logit ensemble of exactly members 0 and 2.
        using (var members = store.LoadComplete())
        using (var test = MemberRecipe.LoadTest())
        {
            Assert.Equal([0, 2], members.Indices);
            var rows = FmnistDeepEnsembleExperiment.Score(members.Logits, test.Targets, [0, 2], members.OodLogits);
            Assert.Equal(FmnistDeepEnsembleExperiment.ToCsv(new FmnistDeepEnsembleResult(rows, [], 0)).TrimEnd().Split('\n'), partial);
        }

        store.Train(recipe, 1, ProgressSinks.None);
        var fullOut = _temp.NewFolder();
        Assert.Equal(0, KitCli.RunInProcess("ensemble", "combine", "--experiment", Experiment, "--runs", runs, "--out", fullOut).Code);
        var full = File.ReadAllLines(Path.Combine(fullOut, "results.csv"));
        Assert.Equal(partial[1], full[1]);
        Assert.Equal(partial[2], full[3]);

        // A member copied in from a folder of another recipe (seed 5) is refused, and nothing is combined.
        var other = new MemberStore(_temp.NewFolder(), Experiment);
        other.Train(recipe with { Seed = 5 }, 1, ProgressSinks.None);
        Directory.Delete(store.MemberFolder(1), recursive: true);
        Directory.CreateDirectory(store.MemberFolder(1));
        foreach (var file in Directory.GetFiles(other.MemberFolder(1))) File.Copy(file, Path.Combine(store.MemberFolder(1), Path.GetFileName(file)));
        var mixed = Assert.Throws<MemberStoreException>(store.LoadComplete);
        Assert.Contains("member 1", mixed.Message);
        Assert.Contains("seed: member 5, folder 0", mixed.Message);
        var (code, stderr) = KitCli.RunInProcess("ensemble", "combine", "--experiment", Experiment, "--runs", runs, "--out", _temp.NewFolder());
        Assert.Equal(1, code);
        Assert.Contains("seed: member 5, folder 0", stderr);
    }

    [Fact]
    public void CombineWithoutMembersFails()
    {
        var (code, stderr) = KitCli.RunInProcess("ensemble", "combine", "--experiment", Experiment, "--runs", _temp.NewFolder(), "--out", _temp.NewFolder());
        Assert.Equal(1, code);
        Assert.Contains("no members in", Assert.Single(KitCli.Lines(stderr)));
    }
}
