using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace EnsembleKit.Backend;

/// <summary>
/// Reads and edits the symbol-version sections of a 64-bit little-endian ELF shared object:
/// the versions it needs from other libraries (<c>.gnu.version_r</c>), the versions it defines
/// (<c>.gnu.version_d</c>) and which dynamic symbols use which version (<c>.gnu.version</c>).
/// </summary>
/// <remarks>
/// This exists for one platform fact: TorchSharp 0.107.0's <c>libLibTorchSharp.so</c> needs
/// <c>GLIBCXX_3.4.32</c> (GCC 13) only for <c>std::ios_base_library_init()</c>, a link-time marker
/// that is never called. Debian 12's libstdc++ stops at 3.4.30. Marking that need weak
/// (<c>VER_FLG_WEAK</c>) in a private copy lets the dynamic loader accept the library.
/// </remarks>
public sealed class ElfVersionNeeds
{
    const uint ShtDynsym = 11;
    const uint ShtGnuVerdef = 0x6ffffffd;
    const uint ShtGnuVerneed = 0x6ffffffe;
    const uint ShtGnuVersym = 0x6fffffff;
    /// <summary>The ELF flag that makes a missing needed version a warning rather than an error.</summary>
    public const ushort VerFlagWeak = 2;

    readonly byte[] _bytes;
    readonly string _path;

    /// <summary>One needed version: which library provides it, its name, its flags, where its flags live.</summary>
    public sealed record Need(string Library, string Version, ushort Flags, ushort Index, int FlagsOffset)
    {
        public bool IsWeak => (Flags & VerFlagWeak) != 0;
    }

    public IReadOnlyList<Need> Needs { get; }
    public IReadOnlyList<string> Definitions { get; }
    readonly List<(string Name, ushort VersionIndex)> _symbols;

    ElfVersionNeeds(string path, byte[] bytes)
    {
        _path = path;
        _bytes = bytes;
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw new InvalidDataException($"{path}: not an ELF file (bad magic).");
        if (bytes[4] != 2 || bytes[5] != 1)
            throw new InvalidDataException($"{path}: only 64-bit little-endian ELF is supported (class {bytes[4]}, data {bytes[5]}).");

        var sections = ReadSections();
        var needs = new List<Need>();
        var defs = new List<string>();
        _symbols = new List<(string, ushort)>();

        foreach (var s in sections.Where(s => s.Type == ShtGnuVerneed))
        {
            var strtab = sections[(int)s.Link];
            long entry = s.Offset;
            while (true)
            {
                ushort count = U16(entry + 2);
                string file = CString(strtab.Offset + U32(entry + 4));
                long aux = entry + U32(entry + 8);
                for (int i = 0; i < count; i++)
                {
                    ushort flags = U16(aux + 4);
                    ushort other = U16(aux + 6);
                    string name = CString(strtab.Offset + U32(aux + 8));
                    needs.Add(new Need(file, name, flags, other, checked((int)(aux + 4))));
                    uint nextAux = U32(aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = U32(entry + 12);
                if (next == 0) break;
                entry += next;
            }
        }

        foreach (var s in sections.Where(s => s.Type == ShtGnuVerdef))
        {
            var strtab = sections[(int)s.Link];
            long entry = s.Offset;
            while (true)
            {
                long aux = entry + U32(entry + 12);
                defs.Add(CString(strtab.Offset + U32(aux)));
                uint next = U32(entry + 16);
                if (next == 0) break;
                entry += next;
            }
        }

        var dynsym = sections.FirstOrDefault(s => s.Type == ShtDynsym);
        var versym = sections.FirstOrDefault(s => s.Type == ShtGnuVersym);
        if (dynsym is not null && versym is not null)
        {
            var strtab = sections[(int)dynsym.Link];
            long count = dynsym.Size / 24;
            for (long i = 0; i < count; i++)
            {
                string name = CString(strtab.Offset + U32(dynsym.Offset + i * 24));
                ushort version = (ushort)(U16(versym.Offset + i * 2) & 0x7fff);
                _symbols.Add((name, version));
            }
        }
        Needs = needs;
        Definitions = defs;
    }

    public static ElfVersionNeeds Read(string path) => new(path, File.ReadAllBytes(path));

    /// <summary>Dynamic symbols that are bound to the given needed version.</summary>
    public IEnumerable<string> SymbolsUsing(Need need) =>
        _symbols.Where(s => s.VersionIndex == need.Index).Select(s => s.Name);

    /// <summary>The file's bytes with the given needs marked weak (a new array; the file is not touched).</summary>
    public byte[] WithWeakNeeds(IEnumerable<Need> needs)
    {
        var copy = (byte[])_bytes.Clone();
        foreach (var need in needs)
            BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(need.FlagsOffset), (ushort)(need.Flags | VerFlagWeak));
        return copy;
    }

    /// <summary>Writes a copy of the file with the given needs marked weak.</summary>
    public void WriteWithWeakNeeds(IEnumerable<Need> needs, string destination) =>
        AtomicFile.WriteAllBytes(destination, WithWeakNeeds(needs));

    /// <summary>SHA-256 of the file as it was read, lowercase hex: its identity.</summary>
    public string ContentSha256() => Convert.ToHexString(SHA256.HashData(_bytes)).ToLowerInvariant();

    sealed record Section(uint Type, long Offset, long Size, uint Link);

    List<Section> ReadSections()
    {
        long shoff = (long)U64(0x28);
        ushort shentsize = U16(0x3a);
        ushort shnum = U16(0x3c);
        if (shoff <= 0 || shentsize < 64 || shoff + (long)shnum * shentsize > _bytes.Length)
            throw new InvalidDataException($"{_path}: section header table lies outside the file (truncated?).");
        var list = new List<Section>(shnum);
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + (long)i * shentsize;
            var section = new Section(U32(h + 4), (long)U64(h + 0x18), (long)U64(h + 0x20), U32(h + 0x28));
            if (section.Type != 8 /* SHT_NOBITS */ && section.Offset + section.Size > _bytes.Length)
                throw new InvalidDataException($"{_path}: section {i} ends at byte {section.Offset + section.Size}, past the end of the file ({_bytes.Length} bytes).");
            list.Add(section);
        }
        return list;
    }

    ushort U16(long at) => BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan(checked((int)at)));
    uint U32(long at) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(checked((int)at)));
    ulong U64(long at) => BinaryPrimitives.ReadUInt64LittleEndian(_bytes.AsSpan(checked((int)at)));

    string CString(long at)
    {
        int start = checked((int)at);
        int end = Array.IndexOf(_bytes, (byte)0, start);
        return Encoding.ASCII.GetString(_bytes, start, end - start);
    }
}
