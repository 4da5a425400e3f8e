using System.Security.Cryptography;

namespace EnsembleKit.Data;

/// <summary>
/// One build of a Debian binary package as it lies in the Debian archive: its name, its path under a
/// mirror's root (<c>pool/main/...</c>), and the length and SHA-256 of the <c>.deb</c> as the archive's
/// signed <c>Packages</c> index gives them. Knowing these, a copy fetched without apt's package lists
/// can still be trusted.
/// </summary>
public sealed record DebianPackage(string Name, string PoolPath, long Length, string Sha256)
{
    /// <summary>Debian's <c>dataset-fashion-mnist</c> (bookworm; checked 2026-12-02): the four IDX .gz files under
    /// <c>usr/share/datasets/fashion-mnist/</c>.</summary>
    public static readonly DebianPackage FashionMnist = new(
        "dataset-fashion-mnist",
        "pool/main/d/dataset-fashion-mnist/dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb",
        30_900_652,
        "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0");

    /// <summary>The .deb's file name, e.g. <c>dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb</c>.</summary>
    public string FileName => PoolPath[(PoolPath.LastIndexOf('/') + 1)..];

    /// <summary>The package's URL under a mirror root such as <c>http://deb.debian.org/debian</c>.</summary>
    public string UrlUnder(string mirror) => mirror.TrimEnd('/') + "/" + PoolPath;

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> unless the file at <paramref name="path"/> has this
    /// build's length and SHA-256; the message names <paramref name="source"/> and the expected and actual values.
    /// </summary>
    public void Verify(string path, string source)
    {
        long actualLength = new FileInfo(path).Length;
        if (actualLength != Length)
            throw new InvalidDataException(
                $"{source}: {actualLength:N0} bytes, expected {Length:N0} ({FileName}); the download is truncated or not this build of {Name}.");
        string actual;
        using (var stream = File.OpenRead(path))
            actual = Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
        if (actual != Sha256)
            throw new InvalidDataException(
                $"{source}: SHA-256 is {actual}, expected {Sha256} ({FileName}); the download is corrupt or the mirror holds a different build.");
    }
}
