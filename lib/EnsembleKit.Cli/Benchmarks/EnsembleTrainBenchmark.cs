using System.CommandLine;
using System.Diagnostics;
using EnsembleKit.Backend;
using EnsembleKit.Cli.Commands;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.Training.Lockstep;
using static TorchSharp.torch;

namespace EnsembleKit.Cli.Benchmarks;

/// <summary>
/// <c>kit bench ensemble-train</c>: training M members one after another (<see cref="DeepEnsemble.Train{TModel}"/>) against
/// training them in lockstep (<c>lockstep: true</c>), same process, same seeds: the 784-512-10 MLP for one Fashion-MNIST
/// epoch (M = 3, 8) and LeNet-S for a fixed number of steps on CIFAR-shaped random data (M = 4, 8). Also measures the
/// machine's float32 matmul rate (the "sgemm limit") and prints the MLP epoch's share of it, and the time of one member
/// trained alone, since on a GPU the question is how close M members in lockstep come to the cost of one.
/// On a GPU: <c>--device cuda</c> with <c>KIT_LIBTORCH</c> naming a CUDA libtorch, <c>--mlp-data random</c> where the data is absent.
/// </summary>
public static class EnsembleTrainBenchmark
{
    /// <summary>
    /// FLOPs of one training epoch of one 784-512-10 MLP member on 60,000 samples: 2 per multiply-accumulate forward and
    /// 4 backward (input and weight gradients) for the second layer, but only 2 backward for the first, whose input
    /// gradient autograd never computes (the images do not require one): <c>60,000 · (4·784·512 + 6·512·10)</c> ≈ 98.2 GFLOP.
    /// Elementwise work (ReLU, loss, optimiser) is left out, so the share of the limit it gives is a lower bound.
    /// </summary>
    public const double MlpEpochFlops = 60_000.0 * (4 * 784 * 512 + 6 * 512 * 10);

    public static Command Build()
    {
        var command = new Command("ensemble-train", "Time training M members sequentially vs in lockstep (MLP epoch, LeNet-S steps).");
        var lenetSteps = new Option<int>("--lenet-steps") { Description = "LeNet-S steps per member (batch 128, random 3x32x32 data).", DefaultValueFactory = _ => 30 }.AtLeast(1);
        var mlpEpochs = new Option<int>("--mlp-epochs") { Description = "MLP epochs per member (one by default; more even out a noisy machine).", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var mlpData = new Option<string>("--mlp-data")
        {
            Description = "The MLP's epoch: 'fashion-mnist' (the 60,000 training images) or 'random' (60,000 random 784-vectors: the same work, for a machine without the data).",
            DefaultValueFactory = _ => "fashion-mnist",
        };
        mlpData.AcceptOnlyFromAmong("fashion-mnist", "random");
        var kernels = new Option<string>("--kernels")
        {
            Description = "How lockstep runs its layers: 'auto' (per member on the CPU, batched elsewhere), 'per-member' or 'batched'.",
            DefaultValueFactory = _ => "auto",
        };
        kernels.AcceptOnlyFromAmong("auto", "per-member", "batched");
        var workers = Commands.CommonOptions.LockstepWorkers("--workers",
            "Lockstep member groups trained at once on the CPU, one thread each: 'auto' (LockstepTrainer.CpuWorkers: every thread busy, equal groups; 1 on a GPU) or a number (1: one computation for all members).",
            "auto");
        var channelsLast = new Option<bool>("--channels-last")
        {
            Description = "Feed LeNet-S its batches channels-last (TrainingOptions.ChannelsLast), sequential and lockstep alike.",
        };
        var device = Commands.CommonOptions.Device();
        var threads = Commands.CommonOptions.Threads();
        command.Options.Add(lenetSteps);
        command.Options.Add(channelsLast);
        command.Options.Add(mlpEpochs);
        command.Options.Add(mlpData);
        command.Options.Add(kernels);
        command.Options.Add(workers);
        command.Options.Add(device);
        command.Options.Add(threads);
        command.SetAction(parse =>
        {
            int steps = parse.GetValue(lenetSteps), epochs = parse.GetValue(mlpEpochs);
            TorchRuntime.Initialize(KitSettings.FromEnvironment(parse.GetValue(device), parse.GetValue(threads)));
            var on = TorchRuntime.Device;
            var chosen = parse.GetValue(kernels) switch { "per-member" => LockstepKernels.PerMember, "batched" => LockstepKernels.Batched, _ => LockstepKernels.Auto };
            var workersText = parse.GetValue(workers)!;
            int WorkersFor(int members) => Commands.CommonOptions.ResolveWorkers(workersText, members, on);
            bool lastLayout = parse.GetValue(channelsLast);
            double gflops = SgemmGflops(on);
            double limitEpoch = epochs * MlpEpochFlops / (gflops * 1e9);
            Console.WriteLine($"Ensemble training, sequential vs lockstep, {on.type.ToString().ToLowerInvariant()}, {get_num_threads()} CPU threads, lockstep kernels {chosen}, lockstep workers {workersText}, LeNet-S {(lastLayout ? "channels-last" : "in the default layout")}, seeds 0..M-1, one timed run each after a warm-up");
            Console.WriteLine($"  sgemm limit: 2048^3 float32 matmul {gflops:F1} GFLOP/s (best of 5); MLP epoch = 60000*(4*784*512+6*512*10) = {MlpEpochFlops / 1e9:F1} GFLOP -> {limitEpoch / epochs:F3} s/member-epoch at the limit");
            Console.WriteLine("  'lockstep / one' is the lockstep time of M members over the time of one member trained alone.");
            Console.WriteLine($"  {"model",-28} {"M",3} {"one s",7} {"sequential s",13} {"lockstep s",11} {"speed-up",9} {"lockstep / one",15} {"seq % limit",12} {"lock % limit",13} {"workers",8}");

            using var mlpEpoch = MlpEpochData(parse.GetValue(mlpData)!, on);
            using (var warm = mlpEpoch.Take(1024)) { Time(Mlp.Seed000, warm, 2, 1, false, chosen); Time(Mlp.Seed000, warm, 2, 1, true, chosen, WorkersFor(2)); }
            double oneMlp = Time(Mlp.Seed000, mlpEpoch, 1, epochs, false, chosen);
            foreach (int m in new[] { 3, 8 })
            {
                double seq = Time(Mlp.Seed000, mlpEpoch, m, epochs, false, chosen);
                double lockstep = Time(Mlp.Seed000, mlpEpoch, m, epochs, true, chosen, WorkersFor(m));
                Console.WriteLine($"  {$"MLP 784-512-10, {epochs} epoch{(epochs == 1 ? "" : "s")}",-28} {m,3} {oneMlp,7:F2} {seq,13:F2} {lockstep,11:F2} {seq / lockstep,8:F2}x {lockstep / oneMlp,14:F2}x " +
                    $"{100 * m * limitEpoch / seq,11:F0}% {100 * m * limitEpoch / lockstep,12:F0}% {WorkersFor(m),8}");
            }

            manual_seed(0);
            using var cifarLike = new TensorDataset(rand(steps * 128L, 3, 32, 32, device: on), randint(0, 10, [steps * 128L], device: on), 10, "random 3x32x32");
            using (var warm = cifarLike.Take(256))
            {
                Time(() => LeNet.Small(), warm, 2, 1, false, chosen, channelsLast: lastLayout);
                Time(() => LeNet.Small(), warm, 2, 1, true, chosen, WorkersFor(2), lastLayout);
            }
            double oneLeNet = Time(() => LeNet.Small(), cifarLike, 1, 1, false, chosen, channelsLast: lastLayout);
            foreach (int m in new[] { 4, 8 })
            {
                double seq = Time(() => LeNet.Small(), cifarLike, m, 1, false, chosen, channelsLast: lastLayout);
                double lockstep = Time(() => LeNet.Small(), cifarLike, m, 1, true, chosen, WorkersFor(m), lastLayout);
                Console.WriteLine($"  {$"LeNet-S 3x32x32, {steps} steps",-28} {m,3} {oneLeNet,7:F2} {seq,13:F2} {lockstep,11:F2} {seq / lockstep,8:F2}x {lockstep / oneLeNet,14:F2}x {"-",12} {"-",13} {WorkersFor(m),8}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The MLP's epoch on <paramref name="device"/>: Fashion-MNIST's training set, or as many random vectors of its shape.</summary>
    static TensorDataset MlpEpochData(string source, Device device)
    {
        if (source == "random")
        {
            manual_seed(1);
            return new TensorDataset(rand(60_000, 784, device: device), randint(0, 10, [60_000], device: device), 10, "random 784");
        }
        var fmnist = FashionMnist.Load(train: true);
        var moved = fmnist.To(device);
        if (!ReferenceEquals(moved, fmnist)) fmnist.Dispose();
        return moved;
    }

    /// <summary>Seconds to train <paramref name="members"/> members (seeds 0..M-1) for <paramref name="epochs"/> epochs; in lockstep
    /// with the <paramref name="kernels"/> and <paramref name="workers"/> asked for; image batches channels-last when <paramref name="channelsLast"/>.</summary>
    public static double Time<TModel>(Func<TModel> create, TensorDataset data, int members, int epochs, bool lockstep,
        LockstepKernels kernels = LockstepKernels.Auto, int workers = 1, bool channelsLast = false) where TModel : nn.Module<Tensor, Tensor>
    {
        var options = new TrainingOptions { Epochs = epochs, Progress = ProgressSinks.None, ChannelsLast = channelsLast };
        // On stderr, so that a run that dies (a native crash prints nothing) shows which measurement it was in.
        Console.Error.WriteLine($"  ... {typeof(TModel).Name}, {members} member{(members == 1 ? "" : "s")}, {(lockstep ? $"lockstep ({workers} worker{(workers == 1 ? "" : "s")})" : "sequential")}, {data.Count:N0} samples");
        var clock = Stopwatch.StartNew();
        if (lockstep && kernels != LockstepKernels.Auto)
        {
            // DeepEnsemble.Train's lockstep path with the kernels forced: members seeded 0..M-1 the same way.
            var models = Enumerable.Range(0, members).Select(m => { manual_seed(m); return (nn.Module<Tensor, Tensor>)create(); }).ToList();
            new LockstepTrainer(options) { Kernels = kernels, Workers = workers }.Fit(models, data);
            Synchronize(data.Inputs.device);
            double seconds = clock.Elapsed.TotalSeconds;
            foreach (var model in models) model.Dispose();
            return seconds;
        }
        using var ensemble = DeepEnsemble.Train(create, data, options, members, seed: 0, lockstep: lockstep, lockstepWorkers: lockstep ? workers : 1);
        Synchronize(data.Inputs.device);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Waits for the GPU's queued work, so a clock read after it measures the work, not its launch.</summary>
    static void Synchronize(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize(device);
    }

    /// <summary>Float32 matmul rate on <paramref name="device"/> (CPU when null), GFLOP/s = 2·2048³ / t, best of 5 after one warm-up.</summary>
    public static double SgemmGflops(Device? device = null)
    {
        const long n = 2048;
        device ??= CPU;
        manual_seed(0);
        using var a = randn(n, n, device: device);
        using var b = randn(n, n, device: device);
        double best = double.MaxValue;
        for (int r = 0; r <= 5; r++)
        {
            Synchronize(device);
            var clock = Stopwatch.StartNew();
            using (var c = a.matmul(b)) Synchronize(device);
            if (r > 0) best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }
}
