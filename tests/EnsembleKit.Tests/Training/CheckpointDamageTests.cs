using System.Text;
using EnsembleKit.Data;
using EnsembleKit.Training;
using static EnsembleKit.Tests.Training.CheckpointFixtures;

namespace EnsembleKit.Tests.Training;

/// <summary>A damaged, truncated, foreign or old-format checkpoint is refused with a message naming the file and the reason.</summary>
public class CheckpointDamageTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A finished 3-epoch run's checkpoint and its bytes.</summary>
    (string Path, byte[] Bytes) Written(TensorDataset data)
    {
        var path = _temp.File("run.ckpt");
        Fit(path, Quick, data);
        return (path, File.ReadAllBytes(path));
    }

    CheckpointDamagedException Refused(string path, TensorDataset data)
    {
        var refused = Assert.Throws<CheckpointDamagedException>(() => Fit(path, Quick, data));
        Assert.Equal(path, refused.Path);
        Assert.StartsWith($"{path}: ", refused.Message);
        Assert.Contains($"delete {path}", refused.Message);
        return refused;
    }

    [Theory]
    [InlineData(0.25)] // in the model's weights
    [InlineData(0.5)]
    [InlineData(0.75)] // in the optimiser's momentum
    public void AChangedPayloadByteIsRefused(double where)
    {
        using var data = TinyData();
        var (path, bytes) = Written(data);
        int headerEnd = bytes.AsSpan().IndexOf("\n\n"u8) + 2;
        int at = headerEnd + (int)((bytes.Length - headerEnd - 100) * where);
        bytes[at] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("changed or corrupted after it was written", Refused(path, data).Reason);
    }

    [Fact]
    public void AnEditedHeaderIsRefusedAsDamagedNotAsAnotherRun()
    {
        using var data = TinyData();
        var (path, bytes) = Written(data);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\nseed: 1\n", "\nseed: 2\n")));
        Assert.Contains("changed or corrupted", Refused(path, data).Reason);
    }

    [Fact]
    public void OverwrittenWeightsOfTheSameShapeAreRefused()
    {
        // The failure the checksum is for: another model's weights of the same shape, copied over the trained ones, would
        // otherwise load without complaint.
        using var data = TinyData();
        var path = _temp.File("run.ckpt");
        using var trained = TinyModel();
        Fit(path, Quick, data, trained);
        var bytes = File.ReadAllBytes(path);
        var trainedWeight = trained.parameters().First().detach().contiguous().bytes.ToArray();
        int at = bytes.AsSpan().IndexOf(trainedWeight);
        Assert.True(at > 0, "the first layer's weights are not stored as they are");
        using var other = TinyModel(seed: 42);
        other.parameters().First().detach().contiguous().bytes.ToArray().CopyTo(bytes, at);
        File.WriteAllBytes(path, bytes);
        Assert.Contains("changed or corrupted", Refused(path, data).Reason);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(70)]
    [InlineData(500)]
    [InlineData(-1)]
    [InlineData(-100)]
    public void ATruncatedFileIsRefusedNamingIt(int keep)
    {
        using var data = TinyData();
        var (path, bytes) = Written(data);
        File.WriteAllBytes(path, bytes[..(keep > 0 ? keep : bytes.Length + keep)]);
        var reason = Refused(path, data).Reason;
        Assert.True(reason.Contains("truncated", StringComparison.Ordinal), reason);
        Assert.DoesNotContain("past the end of the stream", reason);
    }

    [Fact]
    public void AnEmptyFileIsRefused()
    {
        using var data = TinyData();
        var (path, _) = Written(data);
        File.WriteAllBytes(path, []);
        Assert.Equal("the file is empty.", Refused(path, data).Reason);
    }

    [Fact]
    public void AnOldFormatCheckpointIsRefusedNotMisread()
    {
        using var data = TinyData();
        var path = _temp.File("old.ckpt");
        // Format v1: BinaryWriter's magic string, epochs done, history CSV, then model and optimiser
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            writer.Write("EnsembleKit.Checkpoint.v1");
            writer.Write(3);
            writer.Write("epoch,loss,learning_rate,seconds\n");
        }
        var reason = Refused(path, data).Reason;
        Assert.Contains("older EnsembleKit (checkpoint format v1)", reason);
    }

    [Theory]
    [InlineData("hello, world\n")]
    [InlineData("EnsembleKit checkpoint v3\nseed: 1\n\n")]
    public void AForeignOrNewerFileIsRefused(string content)
    {
        using var data = TinyData();
        var path = _temp.File("foreign.ckpt");
        File.WriteAllText(path, content);
        var reason = Refused(path, data).Reason;
        Assert.Contains(content.StartsWith("EnsembleKit", StringComparison.Ordinal) ? "format this kit does not read" : "not an EnsembleKit checkpoint", reason);
    }

    [Fact]
    public void TheHeaderIsPlainTextWithTheSettings()
    {
        using var data = TinyData();
        var (_, bytes) = Written(data);
        var header = Encoding.UTF8.GetString(bytes, 0, bytes.AsSpan().IndexOf("\n\n"u8)).Split('\n');
        Assert.Equal("EnsembleKit checkpoint v2", header[0]);
        Assert.Contains("seed: 1", header);
        Assert.Contains("epochs: 3", header);
        Assert.Contains("data rows: 48", header);
        Assert.Contains("# data name: tiny", header);
        Assert.Matches("\nEnsembleKit checkpoint end, sha256 [0-9a-f]{64}\n$", Encoding.ASCII.GetString(bytes[^120..]));
    }
}
