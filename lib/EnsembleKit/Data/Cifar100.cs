using EnsembleKit.Backend;

namespace EnsembleKit.Data;

/// <summary>
/// CIFAR-100 (Krizhevsky 2009) in the official binary layout (<c>cifar-100-binary/train.bin</c>, <c>test.bin</c>):
/// 50,000 / 10,000 records of 2 label bytes (coarse 0-19, fine 0-99) + 3,072 bytes of R, G, B planes.
/// Looked for in <see cref="DataFolders.Search"/> order under the folder name <c>cifar-100-binary</c>.
/// </summary>
public static class Cifar100
{
    public const string Name = "cifar-100";
    public const string FolderName = "cifar-100-binary";
    public const int FineClassCount = 100, CoarseClassCount = 20;
    const int RecordBytes = 2 + CifarBinaryReader.ImageBytes;

    public const string HowToGet =
        "download https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz (MD5 03b5dce01913d631647c71ecec9e9cb8) and extract it " +
        "into data/ (giving data/cifar-100-binary/train.bin and test.bin) or into the folder KIT_DATA names.";

    public static IEnumerable<string> SearchFolders() => DataFolders.Search(FolderName);

    public static string? FindFolder() =>
        SearchFolders().FirstOrDefault(f => File.Exists(Path.Combine(f, "train.bin")) && File.Exists(Path.Combine(f, "test.bin")));

    /// <summary>
    /// Loads the training (50,000) or test (10,000) split as float32 inputs <c>[N, 3, 32, 32]</c> in [0, 1]
    /// and int64 targets <c>[N]</c>: fine labels 0-99, or coarse labels 0-19 when <paramref name="coarse"/> is true.
    /// </summary>
    /// <param name="train">The training split or the test split.</param>
    /// <param name="coarse">Use the 20 superclass labels instead of the 100 fine labels.</param>
    /// <param name="folder">Read from this folder instead of searching.</param>
    /// <param name="verifySizes">Require the official record counts (50,000 / 10,000).</param>
    public static TensorDataset Load(bool train, bool coarse = false, string? folder = null, bool verifySizes = true)
    {
        TorchRuntime.EnsureInitialized();
        folder ??= FindFolder() ?? throw new FileNotFoundException(
            $"CIFAR-100 was not found in any of: {string.Join(", ", SearchFolders())}. To get it, {HowToGet}");
        var name = train ? "train.bin" : "test.bin";
        var path = Path.Combine(folder, name);
        if (!File.Exists(path)) throw new FileNotFoundException($"{name} is missing from {folder}. To get CIFAR-100, {HowToGet}", path);
        long expected = (train ? 50_000L : 10_000L) * RecordBytes;
        long actual = new FileInfo(path).Length;
        if (verifySizes && actual != expected)
            throw new InvalidDataException($"{path}: {actual:N0} bytes, expected {expected:N0} ({(train ? 50_000 : 10_000):N0} records of {RecordBytes} bytes); the file is truncated or not the official CIFAR-100 {name}.");
        var records = CifarBinaryReader.ReadCifar100(path);
        return Cifar10.ToDataset([records], $"CIFAR-100 {(train ? "train" : "test")}{(coarse ? " (coarse)" : "")}", normalize: false,
            classCount: coarse ? CoarseClassCount : FineClassCount, coarse: coarse);
    }

    public static DatasetStatus Status() => new(Name, FindFolder(), HowToGet);
}
