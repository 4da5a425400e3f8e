using System.CommandLine;
using EnsembleKit.Cli.Commands;

namespace EnsembleKit.Cli;

/// <summary>The <c>kit</c> command: one subcommand a file under Commands/.</summary>
public static class Program
{
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("EnsembleKit: ensembles of neural networks on TorchSharp.");
        root.Subcommands.Add(DoctorCommand.Build());
        root.Subcommands.Add(ReproduceCommand.Build());
        root.Subcommands.Add(BenchCommand.Build());
        return root;
    }
}
