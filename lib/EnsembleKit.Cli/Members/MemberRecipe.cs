using System.Globalization;
using EnsembleKit.Cli.Experiments;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Cli.Members;

/// <summary>
/// A named ensemble recipe whose members can be trained one at a time, on any machine: member <c>m</c> gets seed
/// <c>Seed + m</c> and everything else from the recipe, exactly as the one-machine job trains it, so members trained
/// apart and combined give the one-machine job's numbers. Recorded with every member (<see cref="MemberManifest"/>).
/// </summary>
/// <param name="Experiment">The recipe's name; one of <see cref="Experiments"/>.</param>
/// <param name="Members">Ensemble size M; members are indexed 0 to M - 1.</param>
/// <param name="Epochs">Training epochs per member.</param>
/// <param name="Seed">The ensemble's seed; member m uses <c>Seed + m</c>.</param>
/// <param name="TrainLimit">Only the first N training images (0 = all).</param>
public sealed record MemberRecipe(string Experiment, int Members, int Epochs, long Seed, long TrainLimit)
{
    /// <summary>The recipes <c>kit member</c> knows.</summary>
    public static readonly IReadOnlyList<string> Experiments = [FmnistDeepEnsembleExperiment.Name];

    /// <summary>Checks the recipe's values; an <see cref="ArgumentException"/> names the bad one.</summary>
    public MemberRecipe Validated()
    {
        if (!Experiments.Contains(Experiment))
            throw new ArgumentException($"unknown experiment '{Experiment}'; known: {string.Join(", ", Experiments)}.", nameof(Experiment));
        if (Members < 1) throw new ArgumentOutOfRangeException(nameof(Members), $"members must be at least 1; got {Members}.");
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), $"epochs must be at least 1; got {Epochs}.");
        if (TrainLimit < 0) throw new ArgumentOutOfRangeException(nameof(TrainLimit), $"train limit must be at least 0 (0 = all); got {TrainLimit}.");
        return this;
    }

    /// <summary>The seed member <paramref name="index"/> is initialised and shuffled with, as <see cref="DeepEnsemble.Train{TModel}"/> seeds it.</summary>
    public long MemberSeed(int index) => Seed + index;

    /// <summary>The recipe as named texts, in a fixed order: what a member records and what two recipes are compared by.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings =>
    [
        new("experiment", Experiment),
        new("members", Members.ToString(CultureInfo.InvariantCulture)),
        new("epochs", Epochs.ToString(CultureInfo.InvariantCulture)),
        new("seed", Seed.ToString(CultureInfo.InvariantCulture)),
        new("train limit", TrainLimit.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>
    /// One line a setting that differs from <paramref name="recorded"/>'s, <c>epochs: recorded 1, this run 2</c> (the two
    /// sides named by <paramref name="recordedName"/> and <paramref name="thisName"/>); empty when the recipes agree.
    /// </summary>
    public IReadOnlyList<string> DifferencesFrom(MemberRecipe recorded, string recordedName = "recorded", string thisName = "this run")
    {
        var mine = Settings.ToDictionary(p => p.Key, p => p.Value);
        return recorded.Settings.Where(p => mine[p.Key] != p.Value)
            .Select(p => $"{p.Key}: {recordedName} {p.Value}, {thisName} {mine[p.Key]}").ToList();
    }

    public override string ToString() => string.Join(", ", Settings.Select(p => $"{p.Key} {p.Value}"));

    /// <summary>The training images the recipe uses.</summary>
    public TensorDataset LoadTrain() => FmnistDeepEnsembleExperiment.LoadTrain(TrainLimit);

    /// <summary>The test images every member is scored on.</summary>
    public static TensorDataset LoadTest() => FashionMnist.Load(train: false);

    /// <summary>
    /// Trains member <paramref name="index"/> (resuming from, and checkpointing to, <paramref name="checkpointPath"/>)
    /// and returns its logits <c>[N, C]</c> on <paramref name="test"/> with its history.
    /// </summary>
    public (Tensor TestLogits, Tensor? OodLogits, TrainingHistory History) TrainMember(int index, TensorDataset train, TensorDataset test, TensorDataset? ood,
        string checkpointPath, IProgressSink progress)
    {
        if (index < 0 || index >= Members) throw new ArgumentOutOfRangeException(nameof(index), $"member index must be in [0, {Members - 1}]; got {index}.");
        var options = FmnistDeepEnsembleExperiment.Options(Epochs, progress, checkpointPath);
        var (model, history) = DeepEnsemble.TrainMember(Mlp.Seed000, train, options, index, Members, Seed);
        using (model) return (Predict.Logits(model, test), ood is null ? null : Predict.Logits(model, ood), history);
    }

    /// <summary>The result table's rows for member logits <c>[M', N, C]</c> of the members <paramref name="indices"/> (0-based).</summary>
    public static IReadOnlyList<ResultRow> Score(Tensor memberLogits, Tensor targets, IReadOnlyList<int> indices, Tensor? oodMemberLogits = null) =>
        FmnistDeepEnsembleExperiment.Score(memberLogits, targets, indices, oodMemberLogits);
}
