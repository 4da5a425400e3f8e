using System.CommandLine;
using System.Diagnostics;
using EnsembleKit.Backend;
using EnsembleKit.Cli.Commands;
using EnsembleKit.Data;
using EnsembleKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Cli.Benchmarks;

/// <summary>
/// <c>kit bench cnn-step</c>: the time of one training step (forward, cross-entropy, backward, SGD with momentum)
/// of zoo models on a batch of CIFAR-shaped random data <c>[B, 3, 32, 32]</c>, median over the timed steps after
/// one warm-up step, printed per model: fed in the default memory order and channels-last
/// (<see cref="ChannelsLast"/>, what <see cref="Training.TrainingOptions.ChannelsLast"/> does), one after the other.
/// <c>--device cuda</c> (with <c>KIT_LIBTORCH</c> naming a CUDA libtorch) times it on the GPU,
/// each step waited for.
/// </summary>
public static class CnnStepBenchmark
{
    public static Command Build()
    {
        var command = new Command("cnn-step", "Time one training step of zoo CNNs on a CIFAR-shaped random batch.");
        var models = new Option<string>("--models") { Description = "Comma-separated ModelRegistry names.", DefaultValueFactory = _ => "lenet-s,lenet-l,resnet20" };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 128 }.AtLeast(1);
        var steps = new Option<int>("--steps") { Description = "Timed steps per model (after one warm-up step).", DefaultValueFactory = _ => 5 }.AtLeast(1);
        var threads = Commands.CommonOptions.Threads();
        var device = Commands.CommonOptions.Device();
        command.Options.Add(models);
        command.Options.Add(batch);
        command.Options.Add(steps);
        command.Options.Add(threads);
        command.Options.Add(device);
        command.SetAction(parse =>
        {
            TorchRuntime.Initialize(KitSettings.FromEnvironment(parse.GetValue(device), parse.GetValue(threads)));
            var on = TorchRuntime.Device;
            var names = parse.GetValue(models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            int batchSize = parse.GetValue(batch), timed = parse.GetValue(steps);
            Console.WriteLine($"Training step, batch {batchSize} x 3x32x32 random, SGD momentum 0.9, {on.type.ToString().ToLowerInvariant()}, {get_num_threads()} CPU threads, " +
                $"oneDNN ISA cap {Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") ?? "none"}, median of {timed}");
            Console.WriteLine($"  {"model",-16} {"parameters",12} {"ms/step",10} {"images/s",10} {"channels-last ms/step",22} {"speed-up",9}");
            foreach (var name in names)
            {
                var seconds = Run(name, batchSize, timed, out long parameters, device: on);
                var lastSeconds = Run(name, batchSize, timed, out _, channelsLast: true, device: on);
                Console.WriteLine($"  {name,-16} {parameters,12:N0} {seconds * 1000,10:F0} {batchSize / seconds,10:F0} {lastSeconds * 1000,22:F0} {seconds / lastSeconds,8:F2}x");
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Median seconds per training step of <paramref name="name"/>, its batch channels-last when <paramref name="channelsLast"/>,
    /// on <paramref name="device"/> (the CPU when null; a GPU's queued work is waited for before each step's clock is read).
    /// </summary>
    public static double Run(string name, int batchSize, int timedSteps, out long parameters, bool channelsLast = false, Device? device = null)
    {
        device ??= CPU;
        manual_seed(0);
        using var model = ModelRegistry.Create(name, 10);
        model.to(device);
        parameters = ModelRegistry.ParameterCount(model);
        using var drawn = randn(batchSize, 3, 32, 32, device: device);
        using var inputs = channelsLast ? ChannelsLast.Of(drawn) : drawn.alias();
        using var targets = randint(0, 10, [batchSize], device: device);
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        model.train();
        var times = new List<double>();
        for (int step = 0; step <= timedSteps; step++)
        {
            var clock = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            {
                optimizer.zero_grad();
                nn.functional.cross_entropy(model.forward(inputs), targets).backward();
                optimizer.step();
            }
            if (device.type == DeviceType.CUDA) cuda.synchronize(device);
            if (step > 0) times.Add(clock.Elapsed.TotalSeconds);
        }
        var sorted = times.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
