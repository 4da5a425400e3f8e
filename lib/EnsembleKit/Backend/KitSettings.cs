namespace EnsembleKit.Backend;

/// <summary>Which device the kit computes on.</summary>
public enum DeviceChoice { Auto, Cpu, Cuda }

/// <summary>
/// Process-wide settings of the kit. Each has an environment variable, so notebooks, the CLI and the
/// tests agree: <c>KIT_DEVICE</c> (auto|cpu|cuda), <c>KIT_THREADS</c>, <c>KIT_SEED</c>,
/// <c>KIT_LIBTORCH</c> (a libtorch lib folder to use instead of the NuGet one).
/// </summary>
public sealed record KitSettings
{
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
    /// <summary>Intra-op threads; 0 keeps libtorch's default (one per core).</summary>
    public int Threads { get; init; }
    public long Seed { get; init; } = 0;
    public string? LibTorchFolder { get; init; }

    public static KitSettings FromEnvironment()
    {
        var settings = new KitSettings();
        if (Environment.GetEnvironmentVariable("KIT_DEVICE") is { Length: > 0 } device)
            settings = settings with { Device = ParseDevice(device) };
        if (Environment.GetEnvironmentVariable("KIT_THREADS") is { Length: > 0 } threads)
            settings = settings with { Threads = int.TryParse(threads, out var t) && t >= 0 ? t : throw new ArgumentException($"KIT_THREADS='{threads}' is not a non-negative integer.") };
        if (Environment.GetEnvironmentVariable("KIT_SEED") is { Length: > 0 } seed)
            settings = settings with { Seed = long.TryParse(seed, out var s) ? s : throw new ArgumentException($"KIT_SEED='{seed}' is not an integer.") };
        if (Environment.GetEnvironmentVariable("KIT_LIBTORCH") is { Length: > 0 } libtorch)
            settings = settings with { LibTorchFolder = libtorch };
        return settings;
    }

    public static DeviceChoice ParseDevice(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => DeviceChoice.Auto,
        "cpu" => DeviceChoice.Cpu,
        "cuda" or "gpu" => DeviceChoice.Cuda,
        _ => throw new ArgumentException($"Unknown device '{text}': use auto, cpu or cuda."),
    };
}
