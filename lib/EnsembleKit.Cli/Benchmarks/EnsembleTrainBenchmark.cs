using System.CommandLine;
using System.Diagnostics;
using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Cli.Benchmarks;

/// <summary>
/// <c>kit bench ensemble-train</c>: training M members one after another (<see cref="DeepEnsemble.Train{TModel}"/>) against
/// training them in lockstep (<c>lockstep: true</c>), same process, same seeds: the 784-512-10 MLP for one Fashion-MNIST
/// epoch (M = 3, 8) and LeNet-S for a fixed number of steps on CIFAR-shaped random data (M = 4, 8). Also measures the
/// machine's float32 matmul rate (the "sgemm limit") and prints the MLP epoch's share of it.
/// </summary>
public static class EnsembleTrainBenchmark
{
    /// <summary>
    /// Multiply-accumulates of one 784-512-10 MLP sample: 784·512 + 512·10. A training step costs about 6 FLOPs per
    /// multiply-accumulate and sample (2 forward, 4 backward: input and weight gradients), so one epoch of one member is
    /// <c>6 · 60,000 · (784·512 + 512·10)</c> ≈ 146 GFLOP (the first layer's input gradient is not needed, so this is an upper bound).
    /// </summary>
    public const double MlpEpochFlops = 6.0 * 60_000 * (784 * 512 + 512 * 10);

    public static Command Build()
    {
        var command = new Command("ensemble-train", "Time training M members sequentially vs in lockstep (MLP epoch, LeNet-S steps).");
        var lenetSteps = new Option<int>("--lenet-steps") { Description = "LeNet-S steps per member (batch 128, random 3x32x32 data).", DefaultValueFactory = _ => 30 };
        var threads = Commands.CommonOptions.Threads();
        command.Options.Add(lenetSteps);
        command.Options.Add(threads);
        command.SetAction(parse =>
        {
            TorchRuntime.Initialize(KitSettings.FromEnvironment(DeviceChoice.Cpu, parse.GetValue(threads)));
            int steps = parse.GetValue(lenetSteps);
            if (steps < 1)
            {
                Console.Error.WriteLine($"--lenet-steps must be positive; got {steps}.");
                return 2;
            }
            double gflops = SgemmGflops();
            double limitEpoch = MlpEpochFlops / (gflops * 1e9);
            Console.WriteLine($"Ensemble training, sequential vs lockstep, {get_num_threads()} threads, seeds 0..M-1, one timed run each after a warm-up");
            Console.WriteLine($"  sgemm limit: 2048^3 float32 matmul {gflops:F1} GFLOP/s (best of 5); MLP epoch = 6*60000*(784*512+512*10) = {MlpEpochFlops / 1e9:F1} GFLOP -> {limitEpoch:F3} s/member at the limit");
            Console.WriteLine($"  {"model",-28} {"M",3} {"sequential s",13} {"lockstep s",11} {"speed-up",9} {"seq % limit",12} {"lock % limit",13}");

            using var fmnist = FashionMnist.Load(train: true);
            using (var warm = fmnist.Take(1024)) { Time(Mlp.Seed000, warm, 2, 1, false); Time(Mlp.Seed000, warm, 2, 1, true); }
            foreach (int m in new[] { 3, 8 })
            {
                double seq = Time(Mlp.Seed000, fmnist, m, 1, false);
                double lockstep = Time(Mlp.Seed000, fmnist, m, 1, true);
                Console.WriteLine($"  {"MLP 784-512-10, 1 epoch",-28} {m,3} {seq,13:F2} {lockstep,11:F2} {seq / lockstep,8:F2}x {100 * m * limitEpoch / seq,11:F0}% {100 * m * limitEpoch / lockstep,12:F0}%");
            }

            manual_seed(0);
            using var cifarLike = new TensorDataset(rand(steps * 128L, 3, 32, 32), randint(0, 10, [steps * 128L]), 10, "random 3x32x32");
            using (var warm = cifarLike.Take(256)) { Time(() => LeNet.Small(), warm, 2, 1, false); Time(() => LeNet.Small(), warm, 2, 1, true); }
            foreach (int m in new[] { 4, 8 })
            {
                double seq = Time(() => LeNet.Small(), cifarLike, m, 1, false);
                double lockstep = Time(() => LeNet.Small(), cifarLike, m, 1, true);
                Console.WriteLine($"  {$"LeNet-S 3x32x32, {steps} steps",-28} {m,3} {seq,13:F2} {lockstep,11:F2} {seq / lockstep,8:F2}x {"-",12} {"-",13}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>Seconds to train <paramref name="members"/> members (seeds 0..M-1) for <paramref name="epochs"/> epochs.</summary>
    public static double Time<TModel>(Func<TModel> create, TensorDataset data, int members, int epochs, bool lockstep) where TModel : nn.Module<Tensor, Tensor>
    {
        var options = new TrainingOptions { Epochs = epochs, Progress = ProgressSinks.None };
        var clock = Stopwatch.StartNew();
        using var ensemble = DeepEnsemble.Train(create, data, options, members, seed: 0, lockstep: lockstep);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Float32 matmul rate, GFLOP/s = 2·2048³ / t, best of 5 after one warm-up.</summary>
    public static double SgemmGflops()
    {
        const long n = 2048;
        manual_seed(0);
        using var a = randn(n, n);
        using var b = randn(n, n);
        double best = double.MaxValue;
        for (int r = 0; r <= 5; r++)
        {
            var clock = Stopwatch.StartNew();
            using (var c = a.matmul(b)) { }
            if (r > 0) best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }
}
