using System.CommandLine;
using EnsembleKit.Backend;
using EnsembleKit.Cli.Members;

namespace EnsembleKit.Cli.Commands;

/// <summary>Options of <c>kit member</c> and <c>kit ensemble</c>: the experiment, the recipe's values, the runs folder.</summary>
public static class MemberOptions
{
    /// <summary><c>--experiment NAME</c>, required, one of <see cref="MemberRecipe.Experiments"/> (else a one-line parse error).</summary>
    public static Option<string> Experiment()
    {
        var option = new Option<string>("--experiment") { Description = $"The ensemble recipe: {string.Join(", ", MemberRecipe.Experiments)}.", Required = true };
        option.Validators.Add(result =>
        {
            var name = result.GetValueOrDefault<string>();
            if (!MemberRecipe.Experiments.Contains(name))
                result.AddError($"--experiment: unknown experiment '{name}'; known: {string.Join(", ", MemberRecipe.Experiments)}.");
        });
        return option;
    }

    /// <summary>
    /// <c>--runs DIR</c>: the folder the machines share; default <c>$KIT_RUNS/members</c>, else the repository's
    /// <c>runs/members</c>. Checked writable while parsing when <paramref name="writable"/>.
    /// </summary>
    public static Option<DirectoryInfo> Runs(bool writable)
    {
        var option = new Option<DirectoryInfo>("--runs")
        {
            Description = "Runs folder shared by the machines that train members (default: $KIT_RUNS/members, else the repository's runs/members).",
            DefaultValueFactory = _ => new DirectoryInfo(DefaultRuns()),
        };
        return writable ? option.WritableFolder() : option;
    }

    static string DefaultRuns() =>
        Path.Combine(Environment.GetEnvironmentVariable("KIT_RUNS") is { Length: > 0 } runs ? runs
            : Path.Combine(KitPaths.RepositoryRoot ?? Directory.GetCurrentDirectory(), "runs"), "members");
}
