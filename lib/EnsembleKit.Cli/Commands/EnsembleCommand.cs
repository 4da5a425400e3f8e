using System.CommandLine;
using EnsembleKit.Backend;
using EnsembleKit.Cli.Experiments;
using EnsembleKit.Cli.Members;
using EnsembleKit.Training;
using Spectre.Console;

namespace EnsembleKit.Cli.Commands;

/// <summary><c>kit ensemble combine</c>: the ensemble of a recipe's complete members (<c>kit member train</c>).</summary>
public static class EnsembleCommand
{
    public static Command Build()
    {
        var command = new Command("ensemble", "Combine members trained apart (kit member train).");
        command.Subcommands.Add(Combine());
        return command;
    }

    static Command Combine()
    {
        var command = new Command("combine",
            "Combine the complete members of a recipe by the mean of their logits and write the main job's table (results.csv, results.json); refuses a mix of recipes.");
        var experiment = MemberOptions.Experiment();
        var runs = MemberOptions.Runs(writable: false);
        var output = CommonOptions.OptionalOutputFolder("--out", "Folder for results.csv and results.json (default: RUNS/EXPERIMENT/combined).");
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        foreach (var option in new Option[] { experiment, runs, output, device, threads }) command.Options.Add(option);

        command.SetAction(parse =>
        {
            TorchRuntime.Initialize(KitSettings.FromEnvironment(parse.GetValue(device), parse.GetValue(threads), seed: null));
            var store = new MemberStore(parse.GetValue(runs)!.FullName, parse.GetValue(experiment)!);
            using var members = store.LoadComplete();
            var recipe = members.Recipe;
            var missing = Enumerable.Range(0, recipe.Members).Except(members.Indices).ToList();
            AnsiConsole.MarkupLine(Markup.Escape($"{recipe.Experiment}: {members.Manifests.Count} of {recipe.Members} members complete"
                + (missing.Count > 0 ? $" (not complete: index {string.Join(", ", missing)})" : "") + $"; {recipe}; {TorchRuntime.Describe()}"));

            using var test = MemberRecipe.LoadTest();
            var rows = MemberRecipe.Score(members.Logits, test.Targets, members.Indices, members.OodLogits);
            var histories = members.Manifests.Select(m => TrainingHistory.FromCsv($"member {m.Index + 1}", m.History)).ToList();
            var result = new FmnistDeepEnsembleResult(rows, histories, members.Manifests.Sum(m => m.TrainSeconds));
            AnsiConsole.Write(ReproduceCommand.ResultTable(result));

            var outFolder = parse.GetValue(output)?.FullName ?? Path.Combine(store.Folder, "combined");
            var written = FmnistDeepEnsembleExperiment.WriteResults(outFolder, result);
            AnsiConsole.MarkupLine(Markup.Escape($"wrote {written} and results.json"));
            return 0;
        });
        return command;
    }
}
