using System.CommandLine;
using EnsembleKit.Backend;
using EnsembleKit.Cli.Experiments;
using EnsembleKit.Training;
using Spectre.Console;

namespace EnsembleKit.Cli.Commands;

/// <summary><c>kit reproduce EXPERIMENT</c>: runs one of the seeds' experiments end to end.</summary>
public static class ReproduceCommand
{
    /// <summary>Printed (on stderr) when <c>--lockstep</c> runs on the CPU: what lockstep measured there against sequential training (the README's Benchmarks).</summary>
    public const string LockstepOnCpuNote = "note: on a CPU, training in lockstep as one computation measured 0.38-1.27x the speed of training the members one after another, " +
        "and in groups on their own threads (--lockstep-workers auto) 0.90-1.44x (README, Benchmarks: kit bench ensemble-train); the members are the same up to float rounding. " +
        "It pays most on a GPU, where small members are bound by kernel launches.";

    public static Command Build()
    {
        var command = new Command("reproduce", "Reproduce an experiment of the source documents.");
        command.Subcommands.Add(FmnistDeepEnsemble());
        return command;
    }

    static Command FmnistDeepEnsemble()
    {
        var command = new Command("fmnist-deep-ensemble",
            "Seed 000: three 784-512-10 MLPs on Fashion-MNIST (SGD 0.1, momentum 0.9, wd 1e-5, cosine, 20 epochs) and their ensemble.");
        var epochs = new Option<int>("--epochs") { Description = "Training epochs per member.", DefaultValueFactory = _ => 20 }.AtLeast(1);
        var members = new Option<int>("--members") { Description = "Ensemble size.", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var output = CommonOptions.OutputFolder("--out", "Folder for results.csv and results.json.", Path.Combine("out", "fmnist-deep-ensemble"));
        var trainLimit = new Option<long>("--train-limit") { Description = "Use only the first N training images (0 = all); for quick checks.", DefaultValueFactory = _ => 0 }.AtLeast(0, "0 = all");
        var checkpoint = CommonOptions.OptionalOutputFolder("--checkpoint", "Folder for per-epoch checkpoints (one file a member, or one for a --lockstep run); a killed run restarted with the same folder and options resumes, one with other options is refused (delete the folder to start afresh).");
        var lockstep = new Option<bool>("--lockstep") { Description = "Train the members together as one computation (same members up to float rounding); with --checkpoint it keeps one checkpoint for the whole run." };
        var workers = CommonOptions.LockstepWorkers("--lockstep-workers",
            "With --lockstep on the CPU: groups of members trained at once, one thread each, 'auto' (every thread busy, equal groups) or a number; " +
            "with --checkpoint one checkpoint a group. Default 1: one computation for all members.", "1");
        foreach (var option in new Option[] { epochs, members, seed, device, threads, output, trainLimit, checkpoint, lockstep, workers }) command.Options.Add(option);
        command.Validators.Add(result =>
        {
            if (result.GetResult(workers) is { Implicit: false } && !result.GetValue(lockstep)) result.AddError("--lockstep-workers needs --lockstep.");
        });

        command.SetAction(parse =>
        {
            TorchRuntime.Initialize(KitSettings.FromEnvironment(parse.GetValue(device), parse.GetValue(threads), parse.GetValue(seed)));
            int m = parse.GetValue(members), e = parse.GetValue(epochs);
            AnsiConsole.MarkupLine($"[bold]Fashion-MNIST deep ensemble[/] (seed 000): {m} x MLP 784-512-10, {e} epochs, seed {parse.GetValue(seed)}{(parse.GetValue(lockstep) ? ", lockstep" : "")}, {TorchRuntime.Describe()}");

            bool onCpu = TorchRuntime.Device.type == TorchSharp.DeviceType.CPU;
            var workersText = parse.GetValue(workers)!;
            int lockstepWorkers = CommonOptions.ResolveWorkers(workersText, m, TorchRuntime.Device);
            if (lockstepWorkers > 1 && !onCpu)
            {
                Console.Error.WriteLine($"--lockstep-workers {workersText}: member groups run on CPU threads; on {TorchRuntime.Device.type} leave it at 1 (batched kernels).");
                return 2;
            }
            if (parse.GetValue(lockstep) && onCpu)
                Console.Error.WriteLine(lockstepWorkers > 1 ? $"lockstep: {lockstepWorkers} member groups at once, one thread each. {LockstepOnCpuNote}" : LockstepOnCpuNote);
            var checkpointPath = parse.GetValue(checkpoint) is { } folder ? Path.Combine(folder.FullName, "member") : null;
            var result = FmnistDeepEnsembleExperiment.Run(m, e, parse.GetValue(seed), ProgressSinks.Console, parse.GetValue(trainLimit), checkpointPath, parse.GetValue(lockstep), lockstepWorkers);
            AnsiConsole.Write(ResultTable(result));
            var best = result.Members.Max(r => r.Accuracy);
            var meanNll = result.Members.Average(r => r.Nll);
            AnsiConsole.MarkupLine($"ensemble vs best member: {result.Ensemble.Accuracy - best:+0.00;-0.00} points; ensemble NLL {result.Ensemble.Nll:F4} vs members' mean {meanNll:F4}; training took {result.TrainSeconds:F0} s.");

            var outFolder = parse.GetValue(output)!.FullName;
            var written = FmnistDeepEnsembleExperiment.WriteResults(outFolder, result);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(written)} and results.json");
            return 0;
        });
        return command;
    }

    /// <summary>The result table, as <c>kit reproduce fmnist-deep-ensemble</c> and <c>kit ensemble combine</c> print it.</summary>
    internal static Table ResultTable(FmnistDeepEnsembleResult result)
    {
        var table = new Table().Title("Fashion-MNIST test set (10,000 images)");
        table.AddColumn("model");
        foreach (var h in new[] { "accuracy %", "NLL", "ECE (15 bins)", "Brier", "seed 000 accuracy %", "AUROC vs MNIST (MSP)", "AUROC vs MNIST (MI)" })
            table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var r in result.Rows)
            table.AddRow(r.Name, $"{r.Accuracy:F2}", $"{r.Nll:F4}", $"{r.Ece:F4}", $"{r.Brier:F4}", r.PaperAccuracy is { } p ? $"{p:F2}" : "-",
                r.MnistAurocMsp is { } msp ? $"{msp:F4}" : "-", r.MnistAurocMi is { } mi ? $"{mi:F4}" : "-");
        return table;
    }
}
