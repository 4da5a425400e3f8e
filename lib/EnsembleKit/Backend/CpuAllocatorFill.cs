using System.Runtime.InteropServices;

namespace EnsembleKit.Backend;

/// <summary>
/// Makes libtorch's CPU allocator zero every new block (its <c>caffe2_cpu_allocator_do_zero_fill</c> flag),
/// because oneDNN's convolutions read memory they never write. oneDNN (v3.7.1 in libtorch 2.10) computes in
/// channel blocks of 8 (AVX2) or 16 (AVX-512) and reads the padding of the last block: the forward pass when the
/// input channels are not a multiple of the block, the backward pass when the output channels are not (LeNet's 6,
/// DenseNet's growth 12). Finite garbage there is multiplied by zero and is harmless; a NaN or infinity left in
/// recycled memory by earlier work is not, so NaN appeared at random, more often the longer a process had run.
/// With the allocator's junk fill (NaN) switched on, every such shape returned NaN in 20 of 20 passes on the development
/// machines (whether it shows depends on the machine: <c>kit doctor --onednn</c>, <see cref="OneDnnPaddingCheck"/>);
/// with the zero fill, none does (<c>OneDnnTests</c>). Set <c>KIT_ZERO_FILL=0</c> to switch it off.
/// </summary>
internal static class CpuAllocatorFill
{
    public const string Variable = "KIT_ZERO_FILL";
    const string ZeroFlag = "FLAGS_caffe2_cpu_allocator_do_zero_fill";
    const string JunkFlag = "FLAGS_caffe2_cpu_allocator_do_junk_fill";

    static IntPtr s_c10;

    /// <summary>Called once libc10 is loaded from <paramref name="libTorchFolder"/>; returns whether zero fill is on.</summary>
    public static bool Apply(string libTorchFolder)
    {
        var library = Path.Combine(libTorchFolder, "libc10.so");
        if (!File.Exists(library) || !NativeLibrary.TryLoad(library, out s_c10)) return false;
        var choice = Environment.GetEnvironmentVariable(Variable);
        bool enable = choice switch
        {
            null or "" or "1" or "true" or "on" => true,
            "0" or "false" or "off" => false,
            _ => throw new InvalidSettingException(Variable, choice, $"{Variable}='{choice}' must be 1 or 0."),
        };
        if (Flag(ZeroFlag) == IntPtr.Zero) return false;
        Mode = enable ? AllocatorFill.Zero : AllocatorFill.None;
        return enable;
    }

    /// <summary>What the allocator writes into new blocks now.</summary>
    public static AllocatorFill Mode
    {
        get => Get(ZeroFlag) ? AllocatorFill.Zero : Get(JunkFlag) ? AllocatorFill.Junk : AllocatorFill.None;
        set
        {
            // libtorch aborts the process if both flags are ever set at once: clear one before setting the other
            Set(value == AllocatorFill.Zero ? JunkFlag : ZeroFlag, false);
            Set(ZeroFlag, value == AllocatorFill.Zero);
            Set(JunkFlag, value == AllocatorFill.Junk);
        }
    }

    static bool Get(string flag) => Flag(flag) is var p && p != IntPtr.Zero && Marshal.ReadByte(p) != 0;

    static bool Set(string flag, bool value)
    {
        var pointer = Flag(flag);
        if (pointer == IntPtr.Zero) return false;
        Marshal.WriteByte(pointer, value ? (byte)1 : (byte)0);
        return true;
    }

    static IntPtr Flag(string name) =>
        s_c10 != IntPtr.Zero && NativeLibrary.TryGetExport(s_c10, name, out var pointer) ? pointer : IntPtr.Zero;
}

/// <summary>What libtorch's CPU allocator writes into a new block.</summary>
internal enum AllocatorFill
{
    /// <summary>Nothing: whatever the memory held before.</summary>
    None,
    /// <summary>Zeros (the kit's default).</summary>
    Zero,
    /// <summary>NaN-like junk: a diagnostic for reads of unwritten memory.</summary>
    Junk,
}
