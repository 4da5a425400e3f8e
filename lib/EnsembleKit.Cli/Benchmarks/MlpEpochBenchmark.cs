using System.CommandLine;
using System.Diagnostics;
using EnsembleKit.Backend;
using EnsembleKit.Cli.Commands;
using EnsembleKit.Data;
using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Cli.Benchmarks;

/// <summary>
/// <c>kit bench mlp-epoch</c>: one Fashion-MNIST epoch of the 784-512-10 MLP through the kit's
/// <see cref="Trainer"/> against a bare TorchSharp loop doing the same work (same model, optimiser,
/// batch size, shuffling), in the same process, alternating runs; prints medians and their ratio.
/// </summary>
public static class MlpEpochBenchmark
{
    public static Command Build()
    {
        var command = new Command("mlp-epoch", "Time one MLP epoch: kit Trainer vs a bare TorchSharp loop.");
        var repeats = new Option<int>("--repeats") { Description = "Timed epochs per side (after one warm-up each).", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => new TrainingOptions().BatchSize }.AtLeast(1);
        var threads = Commands.CommonOptions.Threads();
        command.Options.Add(repeats);
        command.Options.Add(batch);
        command.Options.Add(threads);
        command.SetAction(parse =>
        {
            TorchRuntime.Initialize(KitSettings.FromEnvironment(DeviceChoice.Cpu, parse.GetValue(threads)));
            var (kit, bare) = Run(parse.GetValue(repeats), parse.GetValue(batch));
            Console.WriteLine($"MLP 784-512-10, Fashion-MNIST 60,000 images, batch {parse.GetValue(batch)}, {get_num_threads()} threads, median of {parse.GetValue(repeats)}");
            Console.WriteLine($"  kit Trainer     {kit:F3} s/epoch");
            Console.WriteLine($"  bare TorchSharp {bare:F3} s/epoch");
            Console.WriteLine($"  ratio kit/bare  {kit / bare:F3}");
            return 0;
        });
        return command;
    }

    /// <summary>Median seconds per epoch: (kit, bare).</summary>
    public static (double Kit, double Bare) Run(int repeats, int batchSize)
    {
        using var train = FashionMnist.Load(train: true);
        var options = new TrainingOptions { Epochs = 1, BatchSize = batchSize, Progress = ProgressSinks.None };
        var kitTimes = new List<double>();
        var bareTimes = new List<double>();
        for (int r = 0; r <= repeats; r++)
        {
            manual_seed(r);
            using var kitModel = Mlp.Seed000();
            var clock = Stopwatch.StartNew();
            new Trainer(options with { Seed = r }).Fit(kitModel, train);
            if (r > 0) kitTimes.Add(clock.Elapsed.TotalSeconds);

            manual_seed(r);
            using var bareModel = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10));
            clock.Restart();
            BareEpoch(bareModel, train, batchSize, r);
            if (r > 0) bareTimes.Add(clock.Elapsed.TotalSeconds);
        }
        return (Median(kitTimes), Median(bareTimes));
    }

    /// <summary>The loop a TorchSharp user would write by hand.</summary>
    static void BareEpoch(nn.Module<Tensor, Tensor> model, TensorDataset data, int batchSize, long seed)
    {
        using var optimizer = optim.SGD(model.parameters(), 0.1, momentum: 0.9, weight_decay: 1e-5);
        using var generator = new Generator((ulong)seed);
        using var order = randperm(data.Count, generator: generator);
        model.train();
        for (long start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var index = order.narrow(0, start, Math.Min(batchSize, data.Count - start));
            var x = data.Inputs.index_select(0, index);
            var y = data.Targets.index_select(0, index);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            optimizer.step();
        }
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
