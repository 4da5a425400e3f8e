using System.CommandLine;
using EnsembleKit.Cli.Commands;

namespace EnsembleKit.Cli;

/// <summary>The <c>kit</c> command: one subcommand a file under Commands/.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var parse = BuildRoot().Parse(args);
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("KIT_DEBUG") != "1")
        {
            // Known failures carry a message that says what to do; the stack trace is noise (KIT_DEBUG=1 shows it).
            var inner = e is TypeInitializationException { InnerException: { } cause } ? cause : e;
            Console.Error.WriteLine($"kit: error: {inner.Message}");
            return 1;
        }
    }

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("EnsembleKit: ensembles of neural networks on TorchSharp.");
        root.Subcommands.Add(DoctorCommand.Build());
        root.Subcommands.Add(ReproduceCommand.Build());
        root.Subcommands.Add(BenchCommand.Build());
        root.Subcommands.Add(RunCommand.Build());
        root.Subcommands.Add(DataCommand.Build());
        return root;
    }
}
