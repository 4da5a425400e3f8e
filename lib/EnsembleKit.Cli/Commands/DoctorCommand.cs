using System.CommandLine;
using EnsembleKit.Backend;
using EnsembleKit.Data;
using TorchSharp;

namespace EnsembleKit.Cli.Commands;

/// <summary>
/// <c>kit doctor</c>: what the kit loaded, from where, and which datasets it can see. <c>--onednn</c> also runs
/// <see cref="OneDnnPaddingCheck"/>: whether oneDNN's reads of unwritten channel padding show on this machine and whether
/// the zero fill keeps every shape finite (exit code 1 when it does not, or when the check cannot run).
/// </summary>
public static class DoctorCommand
{
    public static Command Build()
    {
        var command = new Command("doctor", "Print TorchSharp/libtorch versions, native libraries, device, threads and datasets.");
        var device = CommonOptions.Device();
        var oneDnn = new Option<bool>("--onednn")
        {
            Description = "Also check whether oneDNN's convolutions read unwritten memory here: run them with the allocator's junk fill and with its zero fill.",
        };
        command.Options.Add(device);
        command.Options.Add(oneDnn);
        command.SetAction(parse =>
        {
            TorchRuntime.Initialize(KitSettings.FromEnvironment(parse.GetValue(device)));
            var native = TorchRuntime.NativeReport;
            Console.WriteLine($"EnsembleKit      {typeof(TorchRuntime).Assembly.GetName().Version}");
            Console.WriteLine($"TorchSharp       {typeof(torch).Assembly.GetName().Version}");
            Console.WriteLine($"libtorch         {torch.__version__} from {native.LibTorchFolder}{(native.FromKitLibTorch ? " (KIT_LIBTORCH)" : "")}");
            Console.WriteLine($"LibTorchSharp    {native.LibTorchSharpLoaded}");
            if (native.WeakenedVersions.Count > 0)
                Console.WriteLine($"                 patched copy of {native.LibTorchSharpOriginal}: {string.Join(", ", native.WeakenedVersions)} marked weak (system libstdc++ lacks it)");
            if (native.PatchedCopyStatus is { } cacheStatus)
                Console.WriteLine($"                 cached copy {cacheStatus}");
            Console.WriteLine($"device           {TorchRuntime.Device.type.ToString().ToLowerInvariant()} (CUDA available: {torch.cuda.is_available()})");
            Console.WriteLine($"threads          {torch.get_num_threads()}");
            Console.WriteLine($"seed             {TorchRuntime.Settings.Seed}");
            Console.WriteLine($"CPU kernels      ATen {TorchRuntime.AtenCpuCapability ?? "ATen's choice"}, oneDNN ISA cap {TorchRuntime.OneDnnMaxIsa ?? "none"}; CPU allocator zero fill {(TorchRuntime.ZeroFillsCpuMemory ? "on" : "off (KIT_ZERO_FILL=0)")}");
            Console.WriteLine($".NET             {Environment.Version} on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            Console.WriteLine("datasets:");
            foreach (var status in DatasetRegistry.Describe())
                Console.WriteLine($"  {status.Name,-16} {(status.Folder is null ? "missing" : status.Folder)}{(status.Folder is null ? $"  ({status.HowToGet})" : "")}");
            return parse.GetValue(oneDnn) ? CheckOneDnn() : 0;
        });
        return command;
    }

    /// <summary>Prints <see cref="OneDnnPaddingCheck"/>'s table and verdict; 0 when the zero fill kept every shape finite.</summary>
    static int CheckOneDnn()
    {
        var report = OneDnnPaddingCheck.Run();
        if (report.FillSwitchable)
        {
            Console.WriteLine($"oneDNN check     junk fill puts NaN into new CPU memory: {(report.JunkFillWorks ? "yes" : "no")}; "
                + $"3x3 convolutions, forward and backward, {report.Passes} passes per shape and fill:");
        }
        foreach (var line in report.Table()) Console.WriteLine(line);
        Console.WriteLine($"verdict          {report.Verdict}");
        return report.ZeroFillKeepsFinite ? 0 : 1;
    }
}
