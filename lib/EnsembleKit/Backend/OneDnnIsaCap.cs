using System.Runtime.InteropServices;

namespace EnsembleKit.Backend;

/// <summary>
/// Caps oneDNN (libtorch's CPU convolution library, v3.7.1 in TorchSharp-cpu 0.107.0) at AVX2 unless the user
/// chose an ISA. The cap was the first answer to NaN from oneDNN's AVX-512 convolutions on the development machines
/// (a DenseNet-style stack: non-finite in 161 and 280 of 300 passes); the cause turned out to be reads of unwritten
/// channel padding, which <see cref="CpuAllocatorFill"/> cures on every ISA. The cap stays so that the committed
/// notebook outputs reproduce (a different ISA sums in a different order). oneDNN reads <c>ONEDNN_MAX_CPU_ISA</c>
/// from the native environment when it creates its first primitive, so the variable is set with libc's
/// <c>setenv</c> (.NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach native code
/// on Unix) before libtorch loads. Set <c>ONEDNN_MAX_CPU_ISA=ALL</c> yourself for the AVX-512 kernels.
/// </summary>
internal static class OneDnnIsaCap
{
    public const string Variable = "ONEDNN_MAX_CPU_ISA";
    public const string Cap = "AVX2";

    [DllImport("libc", EntryPoint = "setenv")]
    static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv")]
    static extern IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    /// <summary>The value oneDNN will see (native environment), or null.</summary>
    public static string? NativeValue(string name = Variable)
    {
        if (!OperatingSystem.IsLinux()) return Environment.GetEnvironmentVariable(name);
        var pointer = GetEnv(name);
        return pointer == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(pointer);
    }

    /// <summary>Sets the cap on Linux x64 when neither <c>ONEDNN_MAX_CPU_ISA</c> nor the older
    /// <c>DNNL_MAX_CPU_ISA</c> is set; returns the value in force.</summary>
    public static string? Apply()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return null;
        if (NativeValue(Variable) is { Length: > 0 } chosen) return chosen;
        if (NativeValue("DNNL_MAX_CPU_ISA") is { Length: > 0 } legacy) return legacy;
        if (SetEnv(Variable, Cap, 1) != 0) return null;   // overwrite: an empty value counts as unset
        Environment.SetEnvironmentVariable(Variable, Cap);
        return Cap;
    }
}
