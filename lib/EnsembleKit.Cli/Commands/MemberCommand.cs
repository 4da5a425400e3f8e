using System.CommandLine;
using EnsembleKit.Backend;
using EnsembleKit.Cli.Members;
using EnsembleKit.Training;

namespace EnsembleKit.Cli.Commands;

/// <summary>
/// <c>kit member train|status</c>: an ensemble's members trained one per call, on any machine that shares the runs
/// folder (a Slurm job array, a Kubernetes Indexed Job: lib/EnsembleKit.Cli/Cluster/), then combined by
/// <c>kit ensemble combine</c>.
/// </summary>
public static class MemberCommand
{
    public static Command Build()
    {
        var command = new Command("member", "Train one member of an ensemble recipe, or list a recipe's members, in a shared runs folder.");
        command.Subcommands.Add(Train());
        command.Subcommands.Add(Status());
        return command;
    }

    static Command Train()
    {
        var command = new Command("train",
            "Train member I of a recipe into the runs folder (checkpoint per epoch, then test-set logits and manifest); resumes a killed run; does nothing when the member is complete.");
        var experiment = MemberOptions.Experiment();
        var index = new Option<int>("--index") { Description = "The member's index, 0 to members - 1 (in a job array: its task index).", Required = true }.AtLeast(0);
        var members = new Option<int>("--members") { Description = "Ensemble size.", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var epochs = new Option<int>("--epochs") { Description = "Training epochs per member.", DefaultValueFactory = _ => 20 }.AtLeast(1);
        var seed = CommonOptions.Seed();
        var trainLimit = new Option<long>("--train-limit") { Description = "Use only the first N training images (0 = all).", DefaultValueFactory = _ => 0 }.AtLeast(0, "0 = all");
        var runs = MemberOptions.Runs(writable: true);
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        foreach (var option in new Option[] { experiment, index, members, epochs, seed, trainLimit, runs, device, threads }) command.Options.Add(option);
        command.Validators.Add(result =>
        {
            int i = result.GetValue(index), m = result.GetValue(members);
            if (m >= 1 && i >= m) result.AddError($"--index must be less than --members ({m}); got {i}.");
        });

        command.SetAction(parse =>
        {
            TorchRuntime.Initialize(KitSettings.FromEnvironment(parse.GetValue(device), parse.GetValue(threads), parse.GetValue(seed)));
            var recipe = new MemberRecipe(parse.GetValue(experiment)!, parse.GetValue(members), parse.GetValue(epochs), parse.GetValue(seed), parse.GetValue(trainLimit));
            int i = parse.GetValue(index);
            var store = new MemberStore(parse.GetValue(runs)!.FullName, recipe.Experiment);
            Console.WriteLine($"{recipe.Experiment} member {i} of {recipe.Members} (seed {recipe.MemberSeed(i)}): {recipe}; {TorchRuntime.Describe()}");
            var outcome = store.Train(recipe, i, ProgressSinks.Console);
            Console.WriteLine(!outcome.Trained ? $"member {i} is already complete in {store.MemberFolder(i)}; nothing to do."
                : $"member {i} done{(outcome.ResumedFromEpoch > 0 ? $" (resumed after epoch {outcome.ResumedFromEpoch})" : "")}: {store.MemberFolder(i)}, logits sha256 {outcome.Manifest.LogitsSha256[..16]}..., {outcome.Manifest.TrainSeconds:F1} s");
            return 0;
        });
        return command;
    }

    static Command Status()
    {
        var command = new Command("status", "List a recipe's members in the runs folder: complete, partial (epochs checkpointed), damaged or missing.");
        var experiment = MemberOptions.Experiment();
        var runs = MemberOptions.Runs(writable: false);
        command.Options.Add(experiment);
        command.Options.Add(runs);
        command.SetAction(parse =>
        {
            var store = new MemberStore(parse.GetValue(runs)!.FullName, parse.GetValue(experiment)!);
            if (store.ReadRecipe() is not { } recipe)
            {
                Console.WriteLine($"no members in {store.Folder} yet.");
                return 0;
            }
            var status = store.Status();
            Console.WriteLine($"{store.Folder}: {recipe}");
            foreach (var s in status)
            {
                var what = s.State switch
                {
                    MemberState.Complete => $"complete ({s.Manifest!.Epochs} epochs, seed {s.Manifest.Seed}, {s.Manifest.TrainSeconds:F1} s)",
                    MemberState.Partial => $"partial ({s.EpochsDone} of {recipe.Epochs} epochs)",
                    MemberState.Damaged => "damaged",
                    _ => "missing",
                };
                Console.WriteLine($"member {s.Index}: {what}{(s.Detail.Length > 0 ? $"; {s.Detail}" : "")}");
            }
            Console.WriteLine(MemberStore.Summary(status));
            return 0;
        });
        return command;
    }
}
