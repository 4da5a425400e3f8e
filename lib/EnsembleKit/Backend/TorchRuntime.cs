using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Backend;

/// <summary>
/// The one entry point to libtorch: loads the native libraries (see <see cref="NativeLoader"/>),
/// picks the device, sets threads and the global seed. Every kit type that touches tensors calls
/// <see cref="EnsureInitialized"/>; user code may call <see cref="Initialize"/> first to choose settings.
/// Before loading, it caps ATen's and oneDNN's CPU kernels at AVX2 unless <c>ATEN_CPU_CAPABILITY</c> or
/// <c>ONEDNN_MAX_CPU_ISA</c> is set (see <see cref="CpuKernelCap"/>: the same numbers on AVX2 and AVX-512 CPUs), and once loaded it makes the CPU allocator zero new memory
/// (see <see cref="CpuAllocatorFill"/>: oneDNN's convolutions read unwritten channel padding).
/// </summary>
public static class TorchRuntime
{
    static readonly object s_gate = new();
    static NativeLoadReport? s_report;
    static KitSettings s_settings = new();
    static Device? s_device;

    /// <summary>The settings in force (after <see cref="Initialize"/>).</summary>
    public static KitSettings Settings { get { EnsureInitialized(); return s_settings; } }

    /// <summary>The device tensors and models are placed on.</summary>
    public static Device Device { get { EnsureInitialized(); return s_device!; } }

    /// <summary>Where the native libraries were loaded from.</summary>
    public static NativeLoadReport NativeReport { get { EnsureInitialized(); return s_report!; } }

    public static bool IsInitialized => s_report is not null;

    /// <summary>Initialises with settings from the environment if nobody did so yet.</summary>
    public static void EnsureInitialized()
    {
        if (s_report is null) Initialize(KitSettings.FromEnvironment());
    }

    /// <summary>
    /// Loads libtorch and applies <paramref name="settings"/>. The native libraries load once per process;
    /// later calls change device, threads and seed only.
    /// </summary>
    public static void Initialize(KitSettings settings)
    {
        lock (s_gate)
        {
            if (s_report is null)
            {
                CpuKernelCap.Apply(); // before libtorch loads, so that results reproduce across AVX2 and AVX-512 CPUs
                s_report = NativeLoader.Load(settings.LibTorchFolder);
                CpuAllocatorFill.Apply(s_report.LibTorchFolder); // oneDNN reads unwritten channel padding: zero it
                if (s_report.FromKitLibTorch && File.Exists(Path.Combine(s_report.LibTorchFolder, "libtorch_cuda.so")))
                    torch.InitializeDeviceType(DeviceType.CUDA);
                else
                    torch.InitializeDeviceType(DeviceType.CPU);
            }
            else if (settings.LibTorchFolder is not null && settings.LibTorchFolder != s_report.LibTorchFolder && s_report.FromKitLibTorch)
            {
                throw new InvalidOperationException($"libtorch is already loaded from {s_report.LibTorchFolder}; a process cannot switch to {settings.LibTorchFolder}.");
            }

            s_device = settings.Device switch
            {
                DeviceChoice.Cpu => CPU,
                DeviceChoice.Cuda => cuda.is_available() ? CUDA
                    : throw new InvalidOperationException("Device 'cuda' was asked for but CUDA is not available. The NuGet package is CPU-only: set KIT_LIBTORCH to a CUDA libtorch folder (e.g. PyTorch's torch/lib)."),
                _ => cuda.is_available() ? CUDA : CPU,
            };
            if (settings.Threads > 0) set_num_threads(settings.Threads);
            s_settings = settings;
            Seed(settings.Seed);
        }
    }

    /// <summary>Seeds libtorch's global generators (CPU and CUDA).</summary>
    public static void Seed(long seed)
    {
        EnsureInitialized();
        manual_seed(seed);
        if (cuda.is_available()) cuda.manual_seed_all(seed);
    }

    /// <summary>Whether libtorch's CPU allocator zeroes new memory (see <see cref="CpuAllocatorFill"/>; on by default).</summary>
    public static bool ZeroFillsCpuMemory { get { EnsureInitialized(); return CpuAllocatorFill.Mode == AllocatorFill.Zero; } }

    /// <summary>The highest instruction set oneDNN may use (<c>ONEDNN_MAX_CPU_ISA</c>; the kit sets AVX2), or null.</summary>
    public static string? OneDnnMaxIsa { get { EnsureInitialized(); return CpuKernelCap.NativeValue(CpuKernelCap.OneDnnVariable) ?? CpuKernelCap.NativeValue("DNNL_MAX_CPU_ISA"); } }

    /// <summary>The instruction set ATen's own CPU kernels are dispatched for (<c>ATEN_CPU_CAPABILITY</c>; the kit sets avx2), or null.</summary>
    public static string? AtenCpuCapability { get { EnsureInitialized(); return CpuKernelCap.NativeValue(CpuKernelCap.AtenVariable); } }

    /// <summary>A short description for logs: device, threads, libtorch folder.</summary>
    public static string Describe()
    {
        EnsureInitialized();
        return $"device {Device.type.ToString().ToLowerInvariant()}, {get_num_threads()} threads, libtorch from {s_report!.LibTorchFolder}";
    }
}
