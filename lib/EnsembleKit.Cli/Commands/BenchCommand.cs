using System.CommandLine;
using EnsembleKit.Cli.Benchmarks;

namespace EnsembleKit.Cli.Commands;

/// <summary><c>kit bench NAME</c>: speed measurements, one benchmark a file under Benchmarks/.</summary>
public static class BenchCommand
{
    /// <summary>Every benchmark; a new one adds its line here.</summary>
    static readonly Func<Command>[] Benchmarks =
    [
        MlpEpochBenchmark.Build,
        LapBenchmark.Build,
        TsneBenchmark.Build,
        CnnStepBenchmark.Build,
        EnsembleTrainBenchmark.Build,
        MemberConvolutionBenchmark.Build,
    ];

    public static Command Build()
    {
        var command = new Command("bench", "Speed benchmarks (run on a quiet machine; numbers go in the README).");
        foreach (var build in Benchmarks) command.Subcommands.Add(build());
        return command;
    }
}
