using System.CommandLine;
using EnsembleKit.Backend;

namespace EnsembleKit.Cli.Commands;

/// <summary>
/// Options shared by several commands, so they are spelled and checked the same everywhere. The settings options
/// (<c>--device</c>, <c>--threads</c>, <c>--seed</c>) default to their environment variable, parsed by the same
/// <see cref="KitSettings"/> parser as the option, and read only when the option is not given: a bad variable is a
/// one-line parse error (exit 2) naming it, and an explicit option makes it irrelevant.
/// </summary>
public static class CommonOptions
{
    public static Option<DeviceChoice> Device() => Setting("--device", KitSettings.DeviceVariable, KitSettings.ParseDevice, DeviceChoice.Auto,
        "auto, cpu or cuda (cuda needs KIT_LIBTORCH pointing at a CUDA libtorch). Default: $KIT_DEVICE, else auto.");

    public static Option<long> Seed(long fallback = 0) => Setting("--seed", KitSettings.SeedVariable, KitSettings.ParseSeed, fallback,
        $"Global seed; the same seed gives the same numbers on CPU. Default: $KIT_SEED, else {fallback}.");

    public static Option<int> Threads() => Setting("--threads", KitSettings.ThreadsVariable, KitSettings.ParseThreads, 0,
        "libtorch intra-op threads (0 = one per core). Default: $KIT_THREADS, else 0.");

    /// <summary>A folder the command writes into, checked writable while parsing (<see cref="OptionChecks.WritableFolder"/>).</summary>
    public static Option<DirectoryInfo> OutputFolder(string name, string description, string defaultFolder) =>
        new Option<DirectoryInfo>(name) { Description = description, DefaultValueFactory = _ => new DirectoryInfo(defaultFolder) }.WritableFolder();

    /// <summary>An optional folder the command writes into, checked writable while parsing when given.</summary>
    public static Option<DirectoryInfo?> OptionalOutputFolder(string name, string description) =>
        new Option<DirectoryInfo?>(name) { Description = description }.WritableFolder();

    /// <summary>An optional file the command writes, checked writable while parsing when given (<see cref="OptionChecks.WritableFile"/>).</summary>
    public static Option<FileInfo?> OutputFile(string name, string alias, string description) =>
        new Option<FileInfo?>(name, alias) { Description = description }.WritableFile();

    /// <inheritdoc cref="OutputFile(string, string, string)"/>
    public static Option<FileInfo?> OutputFile(string name, string description) =>
        new Option<FileInfo?>(name) { Description = description }.WritableFile();

    /// <summary>
    /// A lockstep worker count, <c>auto</c> or a positive whole number (<see cref="Training.Lockstep.LockstepTrainer.Workers"/>);
    /// anything else is a one-line parse error naming the option. Turned into a count by <see cref="ResolveWorkers"/>.
    /// </summary>
    public static Option<string> LockstepWorkers(string name, string description, string defaultValue)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string>();
            if (text != "auto" && !(int.TryParse(text, out int n) && n >= 1)) result.AddError($"{name} must be 'auto' or a positive whole number; got '{text}'.");
        });
        return option;
    }

    /// <summary>
    /// The worker count a <see cref="LockstepWorkers"/> value gives for <paramref name="members"/> members on
    /// <paramref name="device"/>: <c>auto</c> is <see cref="Training.Lockstep.LockstepTrainer.CpuWorkers"/> for the current
    /// thread count on the CPU and 1 elsewhere; a number is itself.
    /// </summary>
    public static int ResolveWorkers(string text, int members, TorchSharp.torch.Device device) => text == "auto"
        ? (device.type == TorchSharp.DeviceType.CPU ? Training.Lockstep.LockstepTrainer.CpuWorkers(members, TorchSharp.torch.get_num_threads()) : 1)
        : int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An option whose value, and default, follow a <see cref="KitSettings"/> setting.</summary>
    static Option<T> Setting<T>(string name, string variable, Func<string, string, T> parse, T fallback, string description) where T : struct => new(name)
    {
        Description = description,
        DefaultValueFactory = result =>
        {
            // Runs only when the option is absent: then the variable is used, and must be valid.
            try { return KitSettings.Read(variable, parse) ?? fallback; }
            catch (InvalidSettingException e) { result.AddError(e.Message); return fallback; }
        },
        CustomParser = result =>
        {
            try { return parse(result.Tokens.Single().Value, name); }
            catch (ArgumentException e) { result.AddError(e.Message); return fallback; }
        },
    };
}
