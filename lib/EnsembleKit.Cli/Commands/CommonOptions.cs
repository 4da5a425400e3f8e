using System.CommandLine;
using EnsembleKit.Backend;

namespace EnsembleKit.Cli.Commands;

/// <summary>Options shared by several commands, so they are spelled the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<DeviceChoice> Device() => new("--device")
    {
        Description = "auto, cpu or cuda (cuda needs KIT_LIBTORCH pointing at a CUDA libtorch).",
        DefaultValueFactory = _ => KitSettings.FromEnvironment().Device,
        CustomParser = r =>
        {
            try { return KitSettings.ParseDevice(r.Tokens.Single().Value); }
            catch (ArgumentException e) { r.AddError(e.Message); return DeviceChoice.Auto; }
        },
    };

    public static Option<long> Seed(long fallback = 0) => new("--seed")
    {
        Description = "Global seed; the same seed gives the same numbers on CPU.",
        DefaultValueFactory = _ => fallback,
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "libtorch intra-op threads (0 = one per core).",
        DefaultValueFactory = _ => KitSettings.FromEnvironment().Threads,
    };
}
