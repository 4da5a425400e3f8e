using System.CommandLine;
using System.Numerics;
using EnsembleKit.Backend;

namespace EnsembleKit.Cli.Commands;

/// <summary>
/// Checks on option values that run while parsing, before any work: a failed check is a parse error, which
/// <see cref="Program"/> reports in one line naming the option, with exit code 2.
/// </summary>
public static class OptionChecks
{
    /// <summary>Refuses values below <paramref name="minimum"/>.</summary>
    public static Option<T> AtLeast<T>(this Option<T> option, T minimum, string? meaning = null) where T : INumber<T>
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<T>();
            if (value < minimum)
                result.AddError($"{option.Name} must be at least {minimum}{(meaning is null ? "" : $" ({meaning})")}; got {value}.");
        });
        return option;
    }

    /// <summary>Refuses a folder that cannot be written (<see cref="OutputPaths.FolderProblem"/>), default included.</summary>
    public static Option<T> WritableFolder<T>(this Option<T> option) where T : FileSystemInfo? => Writable(option, OutputPaths.FolderProblem);

    /// <summary>Refuses a file that cannot be written (<see cref="OutputPaths.FileProblem"/>).</summary>
    public static Option<T> WritableFile<T>(this Option<T> option) where T : FileSystemInfo? => Writable(option, OutputPaths.FileProblem);

    static Option<T> Writable<T>(Option<T> option, Func<string, string?> problemOf) where T : FileSystemInfo?
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() is { } path && problemOf(path.FullName) is { } problem)
                result.AddError($"{option.Name}: {problem}");
        });
        return option;
    }
}
