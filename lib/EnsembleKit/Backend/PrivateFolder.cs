using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace EnsembleKit.Backend;

/// <summary>
/// A folder only its owner can write to, for files whose code the process will run (the patched native library in
/// <see cref="PatchedGlueCache"/>): another user who could write there could swap in their own code. New folders (and
/// any missing parents) are created with mode 0700 whatever the umask; an existing folder of the owner's that group
/// or others can write loses those write bits (and keeps its read bits, so a cache shared for reading stays shared);
/// a folder that belongs to another user is refused (only its owner could narrow it).
/// </summary>
[SupportedOSPlatform("linux")]
internal static class PrivateFolder
{
    /// <summary>The mode new folders get.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>The effective user id of this process.</summary>
    public static uint CurrentUser => GetEffectiveUserId();

    /// <summary>
    /// Makes sure <paramref name="path"/> is a folder that only <paramref name="owner"/> can write: creates it (and any
    /// missing parent) with mode 0700, takes group and other write away when they have it, and throws
    /// <see cref="UnauthorizedAccessException"/> when it belongs to another user. Symbolic links are followed: what
    /// counts is the folder that files are written into. Returns what was fixed, or null when nothing was.
    /// </summary>
    public static string? Ensure(string path, uint owner)
    {
        if (!Directory.Exists(path))
        {
            Create(path);
            return null;
        }
        uint actual = OwnerOf(path);
        if (actual != owner)
            throw new UnauthorizedAccessException(
                $"{path} belongs to user {actual}, not to this user ({owner}); its owner could replace the native code loaded from it. "
                + "Remove the folder, or set KIT_CACHE to a folder of your own.");
        var mode = File.GetUnixFileMode(path);
        if ((mode & WritableByOthers) == 0) return null;
        File.SetUnixFileMode(path, mode & ~WritableByOthers);
        return $"{path} was writable by others (mode {Octal(mode)}); narrowed to {Octal(mode & ~WritableByOthers)}";
    }

    /// <summary>
    /// Whether group or others can rename or delete what is in <paramref name="path"/>, an existing folder: they can write
    /// it and it is not sticky (in a sticky folder such as /tmp only an entry's owner may rename or delete it).
    /// </summary>
    public static bool OthersCanReplaceEntries(string path)
    {
        var mode = File.GetUnixFileMode(path);
        return (mode & WritableByOthers) != 0 && (mode & UnixFileMode.StickyBit) == 0;
    }

    /// <summary>Creates <paramref name="path"/> and its missing parents, each with mode 0700 (Directory.CreateDirectory
    /// with a mode gives it to the last folder only; the parents would follow the umask).</summary>
    static void Create(string path)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is not null && !Directory.Exists(parent)) Create(parent);
        // The mode passes through the umask, which can only remove bits: 0700 stays at most 0700.
        Directory.CreateDirectory(path, Mode);
    }

    /// <summary>Mode bits as octal digits, e.g. 777.</summary>
    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0xfff, 8);

    /// <summary>The user id that owns <paramref name="path"/> (symbolic links followed), from Linux's <c>statx</c>.</summary>
    static uint OwnerOf(string path)
    {
        // struct statx has the same layout on every Linux architecture (unlike struct stat): stx_uid is the u32 at
        // byte 20 of a 256-byte record.
        var buffer = new byte[256];
        if (StatX(AtFdCwd, path, 0, StatXUid, buffer) != 0)
            throw new IOException($"statx({path}) failed: errno {Marshal.GetLastPInvokeError()}.");
        return BitConverter.ToUInt32(buffer, 20);
    }

    const int AtFdCwd = -100;
    const uint StatXUid = 0x8;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    static extern int StatX(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "geteuid")]
    static extern uint GetEffectiveUserId();
}
