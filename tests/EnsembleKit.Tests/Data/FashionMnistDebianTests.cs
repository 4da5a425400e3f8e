using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using EnsembleKit.Data;

namespace EnsembleKit.Tests.Data;

/// <summary>
/// The Debian-archive fallback for Fashion-MNIST, on miniature packages built here with <c>dpkg-deb --build</c>
/// and served by a fake HTTP handler: no network, and everything is written inside one temporary folder that
/// <see cref="Dispose"/> removes.
/// </summary>
public sealed class FashionMnistDebianTests : IDisposable
{
    const string PackageFolder = "usr/share/datasets/fashion-mnist";
    const string PoolPath = "pool/main/d/dataset-fashion-mnist/dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb";
    const string Mirror = "http://mirror.test/debian";
    static readonly string[] Names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    readonly string temp = Path.Combine(Path.GetTempPath(), "ensemblekit-deb-" + Guid.NewGuid().ToString("N"));
    readonly Dictionary<string, byte[]> idx = new();   // name -> uncompressed IDX bytes
    readonly Dictionary<string, byte[]> gz = new();    // name -> the .gz as packaged

    public FashionMnistDebianTests()
    {
        Directory.CreateDirectory(temp);
        int[][] shapes = [[3, 28, 28], [3], [2, 28, 28], [2]];
        for (int i = 0; i < Names.Length; i++)
        {
            idx[Names[i]] = Idx(shapes[i], seed: i);
            gz[Names[i]] = Gzip(idx[Names[i]]);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
    }

    // ---------- DebFile ----------

    [Fact]
    public void ReadsTheRequestedFilesFromADeb()
    {
        var deb = BuildDeb(gz);
        var files = DebFile.ReadFiles(deb, Names.Select(n => $"{PackageFolder}/{n}.gz").ToList());
        Assert.Equal(4, files.Count);
        foreach (var n in Names) Assert.Equal(gz[n], files[$"{PackageFolder}/{n}.gz"]);
        // an absolute path names the same file
        Assert.Equal(gz[Names[1]], DebFile.ReadFiles(deb, [$"/{PackageFolder}/{Names[1]}.gz"])[$"{PackageFolder}/{Names[1]}.gz"]);
    }

    [Fact]
    public void ADebWithoutAFileNamesTheFile()
    {
        var deb = BuildDeb(gz.Where(p => p.Key != "t10k-labels-idx1-ubyte").ToDictionary());
        var e = Assert.Throws<InvalidDataException>(() => DebFile.ReadFiles(deb, Names.Select(n => $"{PackageFolder}/{n}.gz").ToList()));
        Assert.Contains($"{PackageFolder}/t10k-labels-idx1-ubyte.gz", e.Message);
        Assert.DoesNotContain("train-images", e.Message);
        Assert.Contains(deb, e.Message);
    }

    [Fact]
    public void AFileThatIsNoDebIsNamedWithDpkgDebsReason()
    {
        var bogus = Path.Combine(temp, "bogus.deb");
        File.WriteAllBytes(bogus, TestFiles.RandomBytes(4096, seed: 7));
        var e = Assert.Throws<InvalidDataException>(() => DebFile.ReadFiles(bogus, [$"{PackageFolder}/x.gz"]));
        Assert.Contains(bogus, e.Message);
        Assert.Contains("dpkg-deb", e.Message);
    }

    // ---------- DebianPackage.Verify ----------

    [Fact]
    public void AWrongSha256IsRefusedNamingExpectedAndActual()
    {
        var deb = BuildDeb(gz);
        var actual = Sha256(File.ReadAllBytes(deb));
        var expected = new string('0', 64);
        var package = new DebianPackage("dataset-fashion-mnist", PoolPath, new FileInfo(deb).Length, expected);
        var e = Assert.Throws<InvalidDataException>(() => package.Verify(deb, "http://mirror.test/x.deb"));
        Assert.Contains("http://mirror.test/x.deb", e.Message);
        Assert.Contains($"SHA-256 is {actual}, expected {expected}", e.Message);
    }

    [Fact]
    public void AWrongLengthIsRefusedNamingBothLengths()
    {
        var deb = BuildDeb(gz);
        var package = new DebianPackage("dataset-fashion-mnist", PoolPath, 30_900_652, Sha256(File.ReadAllBytes(deb)));
        var e = Assert.Throws<InvalidDataException>(() => package.Verify(deb, deb));
        Assert.Contains($"{new FileInfo(deb).Length:N0} bytes, expected {30_900_652:N0}", e.Message);
    }

    // ---------- FashionMnistFetcher ----------

    [Fact]
    public void OfflineItFetchesThePackageFromTheMirrorAndExtractsVerifiedFiles()
    {
        var deb = File.ReadAllBytes(BuildDeb(gz));
        var handler = new FakeArchive { [$"{Mirror}/{PoolPath}"] = deb };
        var (options, log, progress) = Options(handler, Package(deb), ["http://missing.test/debian", Mirror]);

        var folder = FashionMnistFetcher.Fetch(options);

        Assert.Equal(Target, folder);
        foreach (var n in Names) Assert.Equal(gz[n], File.ReadAllBytes(Path.Combine(Target, n + ".gz")));
        Assert.Equal(Names.Select(n => n + ".gz").Order(), Directory.GetFileSystemEntries(Target).Select(e => Path.GetFileName(e)).Order());
        var text = string.Join("\n", log);
        Assert.Contains("official URLs failed: http://official.test/train-images-idx3-ubyte.gz", text);
        Assert.Contains("no-such-apt-get download dataset-fashion-mnist failed", text);
        Assert.Contains($"http://missing.test/debian/{PoolPath}: HTTP 404", text);
        Assert.Contains($"Fashion-MNIST: extracted from Debian's dataset-fashion-mnist into {Target}", text);
        Assert.Contains($"{deb.Length:N0} / {deb.Length:N0} bytes", progress.ToString());
    }

    [Fact]
    public void ACorruptedDownloadIsRefusedAndEveryStepIsReported()
    {
        var deb = File.ReadAllBytes(BuildDeb(gz));
        var corrupted = (byte[])deb.Clone();
        corrupted[^100] ^= 0xff;
        var (options, _, _) = Options(new FakeArchive { [$"{Mirror}/{PoolPath}"] = corrupted }, Package(deb), [Mirror]);

        var e = Assert.Throws<FileNotFoundException>(() => FashionMnistFetcher.Fetch(options));

        Assert.Contains("1. official URLs: http://official.test/train-images-idx3-ubyte.gz", e.Message);
        Assert.Contains("2. ", e.Message);
        Assert.Contains("no-such-apt-get", e.Message);
        Assert.Contains($"3. Debian mirror {Mirror}: {Mirror}/{PoolPath}: SHA-256 is {Sha256(corrupted)}, expected {Sha256(deb)}", e.Message);
        Assert.Contains(FashionMnist.HowToGet, e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Target)); // nothing unverified, and no .download left
    }

    [Fact]
    public void APackageWithoutAFileFailsNamingIt()
    {
        var deb = File.ReadAllBytes(BuildDeb(gz.Where(p => p.Key != "train-labels-idx1-ubyte").ToDictionary()));
        var (options, _, _) = Options(new FakeArchive { [$"{Mirror}/{PoolPath}"] = deb }, Package(deb), [Mirror]);
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnistFetcher.Fetch(options));
        Assert.Contains($"lacks {PackageFolder}/train-labels-idx1-ubyte.gz", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Target));
    }

    [Fact]
    public void APackageWithOtherContentIsRefusedBeforeAnythingIsWritten()
    {
        var other = new Dictionary<string, byte[]>(gz) { ["t10k-labels-idx1-ubyte"] = Gzip(Idx([2], seed: 99)) };
        var deb = File.ReadAllBytes(BuildDeb(other));
        var (options, _, _) = Options(new FakeArchive { [$"{Mirror}/{PoolPath}"] = deb }, Package(deb), [Mirror]);
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnistFetcher.Fetch(options));
        Assert.Contains($"{PackageFolder}/t10k-labels-idx1-ubyte.gz in dataset-fashion-mnist_", e.Message);
        Assert.Contains("content SHA-256", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Target));
    }

    [Fact]
    public void TheOfficialUrlsComeFirstWhenReachable()
    {
        var handler = new FakeArchive();
        foreach (var n in Names) handler[$"http://official.test/{n}.gz"] = gz[n];
        var (options, log, _) = Options(handler, Package([]), [Mirror]);
        Assert.Equal(Target, FashionMnistFetcher.Fetch(options));
        foreach (var n in Names) Assert.Equal(gz[n], File.ReadAllBytes(Path.Combine(Target, n + ".gz")));
        Assert.DoesNotContain(log, l => l.Contains("apt-get") || l.Contains(Mirror));
        Assert.Equal(4, Directory.GetFileSystemEntries(Target).Length);
    }

    [Fact]
    public void AnOfficialHostThatNeverAnswersCostsOnlyTheConnectTimeout()
    {
        var deb = File.ReadAllBytes(BuildDeb(gz));
        var handler = new FakeArchive { OfficialHangs = true, [$"{Mirror}/{PoolPath}"] = deb };
        var (options, log, _) = Options(handler, Package(deb), [Mirror]);
        var clock = Stopwatch.StartNew();
        FashionMnistFetcher.Fetch(options with { ConnectTimeout = TimeSpan.FromMilliseconds(300) });
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 10);
        Assert.Contains(log, l => l.Contains("official URLs failed: http://official.test/train-images-idx3-ubyte.gz: no answer within"));
        Assert.Single(log, l => l.Contains("official.test")); // the first file's failure ends the step
    }

    // ---------- helpers ----------

    string Target => Path.Combine(temp, "fashion-mnist");

    (FashionMnistFetchOptions Options, List<string> Log, StringWriter Progress) Options(FakeArchive handler, DebianPackage package, string[] mirrors)
    {
        var log = new List<string>();
        var progress = new StringWriter();
        var options = new FashionMnistFetchOptions
        {
            Folder = Target,
            Files = Names.Select(n => new DatasetFile(n, $"http://official.test/{n}.gz", Sha256(idx[n]), idx[n].Length)).ToList(),
            Package = package,
            AptGet = Path.Combine(temp, "no-such-apt-get"), // fails to start: the test never runs the real apt-get
            Mirrors = mirrors,
            CreateHandler = () => handler,
            Log = log.Add,
            Progress = progress,
        };
        return (options, log, progress);
    }

    static DebianPackage Package(byte[] deb) => new("dataset-fashion-mnist", PoolPath, deb.Length, Sha256(deb));

    /// <summary>Builds a .deb with <c>dpkg-deb --build</c> holding the given .gz files under usr/share/datasets/fashion-mnist, plus a doc file.</summary>
    string BuildDeb(IReadOnlyDictionary<string, byte[]> files)
    {
        var root = Path.Combine(temp, "root-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "DEBIAN"));
        File.WriteAllText(Path.Combine(root, "DEBIAN", "control"),
            "Package: dataset-fashion-mnist\nVersion: 0.0~test-1\nArchitecture: all\nMaintainer: Test <test@example.org>\nDescription: miniature Fashion-MNIST for tests\n");
        var data = Path.Combine(root, PackageFolder);
        Directory.CreateDirectory(data);
        foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(data, name + ".gz"), bytes);
        var doc = Path.Combine(root, "usr/share/doc/dataset-fashion-mnist");
        Directory.CreateDirectory(doc);
        File.WriteAllText(Path.Combine(doc, "copyright"), "MIT\n");

        var deb = Path.Combine(temp, Guid.NewGuid().ToString("N") + ".deb");
        var start = new ProcessStartInfo("dpkg-deb") { ArgumentList = { "--root-owner-group", "--build", root, deb }, RedirectStandardOutput = true, RedirectStandardError = true };
        // dpkg-deb's own temporary files stay inside our folder
        start.Environment["TMPDIR"] = temp;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dpkg-deb --build failed: {error.Result}");
        Directory.Delete(root, recursive: true);
        return deb;
    }

    static byte[] Idx(int[] dims, int seed)
    {
        int count = dims.Aggregate(1, (a, b) => a * b);
        var bytes = new byte[4 + 4 * dims.Length + count];
        bytes[2] = 0x08;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        var data = TestFiles.RandomBytes(count, seed);
        if (dims.Length == 1) for (int i = 0; i < count; i++) data[i] %= 10; // labels
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    static byte[] Gzip(byte[] bytes)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
        return output.ToArray();
    }

    static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    /// <summary>
    /// Serves fixed URLs; the official host behaves as offline (name resolution fails), any other unknown URL is a 404.
    /// </summary>
    sealed class FakeArchive : HttpMessageHandler
    {
        readonly Dictionary<string, byte[]> files = new();

        public byte[] this[string url] { set => files[url] = value; }

        /// <summary>The official host accepts the request but never answers (a firewall that drops packets).</summary>
        public bool OfficialHangs { get; init; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.OriginalString;
            if (files.TryGetValue(url, out var body))
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
            if (request.RequestUri.Host == "official.test")
            {
                if (OfficialHangs) await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new HttpRequestException("Name or service not known (official.test:80)");
            }
            return new HttpResponseMessage(HttpStatusCode.NotFound) { ReasonPhrase = "Not Found", Content = new ByteArrayContent([]) };
        }
    }
}
