using System.CommandLine;
using System.Diagnostics;
using EnsembleKit.Data;
using EnsembleKit.Data.Corruptions;

namespace EnsembleKit.Cli.Commands;

/// <summary><c>kit data list</c>, <c>kit data fetch NAME</c> and <c>kit data generate NAME</c>: which datasets are present, downloading them, generating corrupted test sets.</summary>
public static class DataCommand
{
    /// <summary>Datasets that can be fetched: accepted names and the download (into the given folder, or the default one when null).</summary>
    static readonly (string[] Names, Func<string?, string> Fetch)[] Fetchable =
    [
        (["cifar10", "cifar-10"], folder => Cifar10Fetcher.Fetch(new Cifar10FetchOptions { Folder = folder })),
        (["fashion-mnist", "fmnist"], folder => FashionMnist.Download(folder)),
        (["mnist-digits", "mnist"], folder => MnistDigitsFetcher.Fetch(new MnistDigitsFetchOptions { Folder = folder })),
    ];

    public static Command Build()
    {
        var command = new Command("data", "List the datasets the kit knows, download them, and generate the corrupted test sets.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Fetch());
        command.Subcommands.Add(Generate());
        return command;
    }

    static Command List()
    {
        var command = new Command("list", "Show each known dataset's folder, or how to get it when missing.");
        command.SetAction(_ =>
        {
            foreach (var status in DatasetRegistry.Describe())
                Console.WriteLine($"{status.Name,-16} {(status.Folder is null ? $"missing  ({status.HowToGet})" : status.Folder)}");
            return 0;
        });
        return command;
    }

    static Command Fetch()
    {
        var names = string.Join(", ", Fetchable.Select(f => f.Names[0]));
        var command = new Command("fetch", $"Download a dataset and verify its checksums ({names}).");
        var name = new Argument<string>("name") { Description = $"Dataset: {names}." };
        name.Validators.Add(result =>
        {
            if (Find(result.GetValueOrDefault<string>()).Names is null)
                result.AddError($"unknown dataset '{result.GetValueOrDefault<string>()}'; fetchable: {names}.");
        });
        var output = CommonOptions.OptionalOutputFolder("--out", "Target folder (default: $KIT_DATA/<dataset>, else the repository's data/<dataset>, else, outside a checkout, the user cache's data/<dataset>).");
        command.Arguments.Add(name);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var entry = Find(parse.GetValue(name));
            var clock = Stopwatch.StartNew();
            var folder = entry.Fetch(parse.GetValue(output)?.FullName);
            Console.WriteLine($"{entry.Names[0]}: {folder} ({clock.Elapsed.TotalSeconds:F1} s)");
            return 0;
        });
        return command;
    }

    static Command Generate()
    {
        var names = string.Join(", ", CorruptionSource.All.Select(s => s.Aliases[0]));
        var command = new Command("generate", $"Generate and cache the corrupted test sets of the CIFAR-10-C recipe, all corruptions but frost at 5 severities ({names}).");
        var name = new Argument<string>("name") { Description = $"Corrupted set: {names}." };
        name.Validators.Add(result =>
        {
            if (CorruptionSource.Find(result.GetValueOrDefault<string>()) is null)
                result.AddError($"unknown corrupted set '{result.GetValueOrDefault<string>()}'; known: {names}.");
        });
        var seed = CommonOptions.Seed();
        command.Arguments.Add(name);
        command.Options.Add(seed);
        command.SetAction(parse =>
        {
            var source = CorruptionSource.Find(parse.GetValue(name))!;
            var clock = Stopwatch.StartNew();
            var folder = CorruptedDataset.GenerateAll(source, parse.GetValue(seed), line => Console.WriteLine($"  {line}"));
            Console.WriteLine($"{source.Name}: {folder} ({clock.Elapsed.TotalSeconds:F1} s; {CorruptionCatalog.FrostExclusion})");
            return 0;
        });
        return command;
    }

    /// <summary>The fetchable dataset called <paramref name="name"/> (any case), or a default entry whose Names is null.</summary>
    static (string[] Names, Func<string?, string> Fetch) Find(string? name) =>
        Fetchable.FirstOrDefault(f => f.Names.Contains(name?.Trim().ToLowerInvariant()));
}
