using System.Runtime.InteropServices;

namespace EnsembleKit.Backend;

/// <summary>
/// Caps oneDNN (libtorch's CPU convolution library, v3.7.1 in TorchSharp-cpu 0.107.0) at AVX2 unless the user
/// chose an ISA. On the development machines (AMD EPYC, CPU family 0x1A, AVX-512) its AVX-512 float32
/// convolution kernels return NaN for some shapes, nondeterministically: a DenseNet-style stack of 3×3
/// convolutions with 28…76 input channels and 12 outputs on <c>[2, C, 8, 8]</c> inputs gave non-finite outputs in
/// 161 and 280 of 300 forward passes, and 0 of 300 with the cap. oneDNN reads <c>ONEDNN_MAX_CPU_ISA</c> from the
/// native environment when it creates its first primitive, so the variable is set with libc's <c>setenv</c>
/// (.NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach native code on Unix)
/// before libtorch loads. Set <c>ONEDNN_MAX_CPU_ISA</c> (e.g. to <c>ALL</c>) yourself to override.
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
        if (SetEnv(Variable, Cap, 0) != 0) return null;
        Environment.SetEnvironmentVariable(Variable, Cap);
        return Cap;
    }
}
