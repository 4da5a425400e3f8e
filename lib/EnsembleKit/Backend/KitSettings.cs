using System.Globalization;

namespace EnsembleKit.Backend;

/// <summary>Which device the kit computes on.</summary>
public enum DeviceChoice { Auto, Cpu, Cuda }

/// <summary>
/// Process-wide settings of the kit. Each has an environment variable, so notebooks, the CLI and the
/// tests agree: <c>KIT_DEVICE</c> (auto|cpu|cuda), <c>KIT_THREADS</c>, <c>KIT_SEED</c>,
/// <c>KIT_LIBTORCH</c> (a libtorch lib folder to use instead of the NuGet one).
/// </summary>
/// <remarks>
/// A value is checked by the same parser whether it comes from a variable or from the CLI option it defaults
/// (<see cref="ParseDevice"/>, <see cref="ParseThreads"/>, <see cref="ParseSeed"/>), and a variable is read only when
/// its setting is used: a setting given explicitly (a CLI option) leaves its variable unread, bad or not.
/// </remarks>
public sealed record KitSettings
{
    public const string DeviceVariable = "KIT_DEVICE";
    public const string ThreadsVariable = "KIT_THREADS";
    public const string SeedVariable = "KIT_SEED";
    public const string LibTorchVariable = "KIT_LIBTORCH";

    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
    /// <summary>Intra-op threads; 0 keeps libtorch's default (one per core).</summary>
    public int Threads { get; init; }
    public long Seed { get; init; } = 0;
    public string? LibTorchFolder { get; init; }

    /// <summary>
    /// The settings from the environment, except those given here, whose variables are then not read at all.
    /// </summary>
    /// <exception cref="InvalidSettingException">A variable that is read holds a value its setting does not accept.</exception>
    public static KitSettings FromEnvironment(DeviceChoice? device = null, int? threads = null, long? seed = null) => new()
    {
        Device = device ?? Read(DeviceVariable, ParseDevice) ?? DeviceChoice.Auto,
        Threads = threads ?? Read(ThreadsVariable, ParseThreads) ?? 0,
        Seed = seed ?? Read(SeedVariable, ParseSeed) ?? 0,
        LibTorchFolder = Environment.GetEnvironmentVariable(LibTorchVariable) is { Length: > 0 } libtorch ? libtorch : null,
    };

    /// <summary>
    /// The value of environment variable <paramref name="variable"/> through <paramref name="parse"/>, or null when it
    /// is unset or empty.
    /// </summary>
    /// <exception cref="InvalidSettingException">The value is not accepted; the message names the variable and the value.</exception>
    public static T? Read<T>(string variable, Func<string, string, T> parse) where T : struct
    {
        if (Environment.GetEnvironmentVariable(variable) is not { Length: > 0 } text) return null;
        try { return parse(text, variable); }
        catch (ArgumentException e) { throw new InvalidSettingException(variable, text, e.Message); }
    }

    /// <summary>auto, cpu or cuda (also gpu), any case; <paramref name="source"/> (an option or variable) names the value in errors.</summary>
    public static DeviceChoice ParseDevice(string text, string source = "device") => text.Trim().ToLowerInvariant() switch
    {
        "auto" => DeviceChoice.Auto,
        "cpu" => DeviceChoice.Cpu,
        "cuda" or "gpu" => DeviceChoice.Cuda,
        _ => throw new ArgumentException($"{source}: unknown device '{text}'; use auto, cpu or cuda."),
    };

    /// <summary>A thread count: 0 (libtorch's default, one per core) or more.</summary>
    public static int ParseThreads(string text, string source = "threads") =>
        int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var threads) && threads >= 0 ? threads
        : throw new ArgumentException($"{source}: '{text}' is not a thread count; use 0 (one per core) or a positive integer.");

    /// <summary>A seed: any 64-bit integer.</summary>
    public static long ParseSeed(string text, string source = "seed") =>
        long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed
        : throw new ArgumentException($"{source}: '{text}' is not an integer seed.");
}
