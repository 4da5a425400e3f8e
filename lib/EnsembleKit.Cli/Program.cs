using System.CommandLine;
using System.CommandLine.Invocation;
using EnsembleKit.Backend;
using EnsembleKit.Cli.Commands;

namespace EnsembleKit.Cli;

/// <summary>
/// The <c>kit</c> command: one subcommand a file under Commands/. Exit codes: 0 done, 1 the run failed, 2 bad input
/// (a bad option, argument or environment variable, an output that cannot be written), reported in one line a problem.
/// </summary>
public static class Program
{
    /// <summary>The exit code for bad input.</summary>
    public const int BadInput = 2;

    public static int Main(string[] args)
    {
        var parse = BuildRoot().Parse(args);
        if (parse.Action is ParseErrorAction errors)
        {
            // A command group without its subcommand (kit, kit reproduce): the errors and the list of subcommands.
            if (parse.CommandResult.Command.Action is null) errors.Invoke(parse);
            // Parse errors, option checks and settings from the environment are bad input: one line each, not the whole help.
            else foreach (var error in parse.Errors) Console.Error.WriteLine($"kit: error: {error.Message}");
            return BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("KIT_DEBUG") != "1" || Unwrap(e) is InvalidSettingException)
        {
            // Known failures carry a message that says what to do; the stack trace is noise (KIT_DEBUG=1 shows it).
            // A setting a command reads from the environment as it runs (KIT_THREADS for kit doctor) is bad input.
            var inner = Unwrap(e);
            Console.Error.WriteLine($"kit: error: {inner.Message}");
            return inner is InvalidSettingException ? BadInput : 1;
        }
    }

    static Exception Unwrap(Exception e) => e is TypeInitializationException { InnerException: { } cause } ? cause : e;

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("EnsembleKit: ensembles of neural networks on TorchSharp.");
        root.Subcommands.Add(DoctorCommand.Build());
        root.Subcommands.Add(ReproduceCommand.Build());
        root.Subcommands.Add(BenchCommand.Build());
        root.Subcommands.Add(RunCommand.Build());
        root.Subcommands.Add(DataCommand.Build());
        root.Subcommands.Add(MemberCommand.Build());
        root.Subcommands.Add(EnsembleCommand.Build());
        root.Subcommands.Add(ClaimsCommand.Build());
        root.Subcommands.Add(CompareCommand.Build());
        return root;
    }
}
