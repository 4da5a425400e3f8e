using System.Runtime.InteropServices;

namespace EnsembleKit.Backend;

/// <summary>
/// Caps libtorch's CPU kernels at AVX2 unless the user chose otherwise, so that a run prints the same numbers on any x86-64
/// CPU with AVX2 or AVX-512: ATen's own vectorised kernels (<c>ATEN_CPU_CAPABILITY=avx2</c>) and oneDNN's convolutions
/// (<c>ONEDNN_MAX_CPU_ISA=AVX2</c>, v3.7.1 in TorchSharp-cpu 0.107.0). Each instruction set sums in its own order, and
/// training carries the difference into the reported digits: the main job's ensemble reaches 90.11 % with ATen's AVX-512
/// kernels and 89.87 % with its AVX2 ones, on the same CPU (README, "Main job").
/// <para>The oneDNN cap came first, as an answer to NaN from oneDNN's AVX-512 convolutions; the cause turned out to be
/// reads of unwritten channel padding, which <see cref="CpuAllocatorFill"/> cures on every ISA.</para>
/// <para>Both libraries read their variable from the native environment when they first dispatch, so the variables are
/// set with libc's <c>setenv</c> (.NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach
/// native code on Unix) before libtorch loads. Set <c>ATEN_CPU_CAPABILITY=avx512</c> and <c>ONEDNN_MAX_CPU_ISA=ALL</c>
/// yourself for the AVX-512 kernels (ATen's <c>default</c> means its scalar kernels, not its own choice).</para>
/// </summary>
internal static class CpuKernelCap
{
    public const string OneDnnVariable = "ONEDNN_MAX_CPU_ISA";
    public const string OneDnnCap = "AVX2";
    public const string AtenVariable = "ATEN_CPU_CAPABILITY";
    public const string AtenCap = "avx2";

    [DllImport("libc", EntryPoint = "setenv")]
    static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv")]
    static extern IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    /// <summary>The value native code will see, or null.</summary>
    public static string? NativeValue(string name)
    {
        if (!OperatingSystem.IsLinux()) return Environment.GetEnvironmentVariable(name);
        var pointer = GetEnv(name);
        return pointer == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(pointer);
    }

    /// <summary>
    /// Sets both caps on Linux x64 where the user has not set the variable (for oneDNN, nor its older name
    /// <c>DNNL_MAX_CPU_ISA</c>).
    /// </summary>
    public static void Apply()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        if (NativeValue("DNNL_MAX_CPU_ISA") is not { Length: > 0 }) SetUnlessChosen(OneDnnVariable, OneDnnCap);
        SetUnlessChosen(AtenVariable, AtenCap);
    }

    static void SetUnlessChosen(string name, string value)
    {
        if (NativeValue(name) is { Length: > 0 }) return;
        if (SetEnv(name, value, 1) != 0) return;   // overwrite: an empty value counts as unset
        Environment.SetEnvironmentVariable(name, value);
    }
}
