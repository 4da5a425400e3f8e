using System.CommandLine;
using EnsembleKit.Backend;
using EnsembleKit.Data;
using TorchSharp;

namespace EnsembleKit.Cli.Commands;

/// <summary><c>kit doctor</c>: what the kit loaded, from where, and which datasets it can see.</summary>
public static class DoctorCommand
{
    public static Command Build()
    {
        var command = new Command("doctor", "Print TorchSharp/libtorch versions, native libraries, device, threads and datasets.");
        var device = CommonOptions.Device();
        command.Options.Add(device);
        command.SetAction(parse =>
        {
            TorchRuntime.Initialize(KitSettings.FromEnvironment() with { Device = parse.GetValue(device) });
            var native = TorchRuntime.NativeReport;
            Console.WriteLine($"EnsembleKit      {typeof(TorchRuntime).Assembly.GetName().Version}");
            Console.WriteLine($"TorchSharp       {typeof(torch).Assembly.GetName().Version}");
            Console.WriteLine($"libtorch         {torch.__version__} from {native.LibTorchFolder}{(native.FromKitLibTorch ? " (KIT_LIBTORCH)" : "")}");
            Console.WriteLine($"LibTorchSharp    {native.LibTorchSharpLoaded}");
            if (native.WeakenedVersions.Count > 0)
                Console.WriteLine($"                 patched copy of {native.LibTorchSharpOriginal}: {string.Join(", ", native.WeakenedVersions)} marked weak (system libstdc++ lacks it)");
            Console.WriteLine($"device           {TorchRuntime.Device.type.ToString().ToLowerInvariant()} (CUDA available: {torch.cuda.is_available()})");
            Console.WriteLine($"threads          {torch.get_num_threads()}");
            Console.WriteLine($"seed             {TorchRuntime.Settings.Seed}");
            Console.WriteLine($"oneDNN           ISA cap {TorchRuntime.OneDnnMaxIsa ?? "none"}; CPU allocator zero fill {(TorchRuntime.ZeroFillsCpuMemory ? "on" : "off (KIT_ZERO_FILL=0)")}");
            Console.WriteLine($".NET             {Environment.Version} on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            Console.WriteLine("datasets:");
            foreach (var status in DatasetRegistry.Describe())
                Console.WriteLine($"  {status.Name,-16} {(status.Folder is null ? "missing" : status.Folder)}{(status.Folder is null ? $"  ({status.HowToGet})" : "")}");
            return 0;
        });
        return command;
    }
}
