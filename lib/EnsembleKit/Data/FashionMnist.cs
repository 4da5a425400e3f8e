using System.Security.Cryptography;
using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>
/// Fashion-MNIST (Xiao et al. 2017): 60,000 training and 10,000 test greyscale 28x28 images, 10 classes.
/// Files are looked for in this order: <c>$KIT_DATA/fashion-mnist</c> (or <c>$KIT_DATA</c> itself),
/// the repository's <c>data/fashion-mnist</c>, Debian's <c>/usr/share/datasets/fashion-mnist</c>
/// (package <c>dataset-fashion-mnist</c>). When none has them, <see cref="FashionMnistFetcher"/> gets them into
/// <c>data/fashion-mnist</c>: from the official URLs, else from Debian's package fetched from the Debian
/// archive and unpacked without root. Every file's content SHA-256 is checked whatever its source. The first
/// <see cref="Load"/> of a process says on stderr which folder it reads, and what <c>KIT_DATA</c> lacks when it had to
/// look further.
/// </summary>
public static class FashionMnist
{
    public const string Name = "fashion-mnist";
    public const int ClassCount = 10;
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";
    const string BaseUrl = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    public static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static readonly DatasetFile TrainImages = new("train-images-idx3-ubyte", BaseUrl + "train-images-idx3-ubyte.gz",
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47_040_016);
    public static readonly DatasetFile TrainLabels = new("train-labels-idx1-ubyte", BaseUrl + "train-labels-idx1-ubyte.gz",
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60_008);
    public static readonly DatasetFile TestImages = new("t10k-images-idx3-ubyte", BaseUrl + "t10k-images-idx3-ubyte.gz",
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7_840_016);
    public static readonly DatasetFile TestLabels = new("t10k-labels-idx1-ubyte", BaseUrl + "t10k-labels-idx1-ubyte.gz",
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10_008);

    static readonly DatasetFile[] AllFiles = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>The four files, with their official URLs and content checksums.</summary>
    public static IReadOnlyList<DatasetFile> Files => AllFiles;

    /// <summary>Mean and standard deviation of the training pixels (in [0, 1]), used to standardise inputs.</summary>
    public const float PixelMean = 0.2860f, PixelStd = 0.3530f;

    public const string HowToGet =
        "Install Debian's package (sudo apt-get install dataset-fashion-mnist), or put the four IDX files " +
        "(train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]) " +
        "into data/fashion-mnist or the folder KIT_DATA names, or run 'kit data fetch fashion-mnist' (tries the official URLs, " +
        "then Debian's package from the Debian mirror in /etc/apt, without root).";

    /// <summary>Folders searched, in order.</summary>
    public static IEnumerable<string> SearchFolders()
    {
        if (Environment.GetEnvironmentVariable("KIT_DATA") is { Length: > 0 } kitData)
        {
            yield return Path.Combine(kitData, Name);
            yield return kitData;
        }
        yield return Path.Combine(KitPaths.RepositoryData, Name);
        yield return DebianFolder;
    }

    /// <summary>The first folder that holds all four files, or null.</summary>
    public static string? FindFolder() => SearchFolders().FirstOrDefault(HasAllFiles);

    static bool HasAllFiles(string folder) => AllFiles.All(f => FindFile(folder, f) is not null);

    static string? FindFile(string folder, DatasetFile file) =>
        new[] { file.Name, file.Name + ".gz" }.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    /// <summary>
    /// Loads the training or test split as float32 inputs <c>[N, 784]</c> (or <c>[N, 1, 28, 28]</c> with
    /// <paramref name="flatten"/> false), standardised with <see cref="PixelMean"/>/<see cref="PixelStd"/>
    /// unless <paramref name="standardize"/> is false (then in [0, 1]), and int64 targets <c>[N]</c>.
    /// </summary>
    public static TensorDataset Load(bool train, bool flatten = true, bool standardize = true, bool download = true, string? folder = null)
    {
        TorchRuntime.EnsureInitialized();
        folder ??= LocateForLoad(download);
        var (imageFile, labelFile) = train ? (TrainImages, TrainLabels) : (TestImages, TestLabels);
        var images = ReadVerified(folder, imageFile);
        var labels = ReadVerified(folder, labelFile);
        if (images.Dimensions.Length != 3 || images.Dimensions[1] != 28 || images.Dimensions[2] != 28)
            throw new InvalidDataException($"{imageFile.Name} in {folder}: expected images [N, 28, 28], found [{string.Join(", ", images.Dimensions)}].");
        if (labels.Dimensions.Length != 1 || labels.Count != images.Count)
            throw new InvalidDataException($"{labelFile.Name} in {folder}: expected {images.Count} labels, found [{string.Join(", ", labels.Dimensions)}].");

        using var scope = NewDisposeScope();
        long n = images.Count;
        using Scalar maxLevel = 255f;
        var x = tensor(images.Data, new long[] { n, 1, 28, 28 }, ScalarType.Byte).to(ScalarType.Float32).div_(maxLevel);
        if (standardize)
        {
            using Scalar mean = PixelMean, std = PixelStd;
            x = x.sub_(mean).div_(std);
        }
        if (flatten) x = x.reshape(n, 784);
        var y = tensor(labels.Data, new long[] { n }, ScalarType.Byte).to(ScalarType.Int64);
        return new TensorDataset(x, y, ClassCount, $"Fashion-MNIST {(train ? "train" : "test")}");
    }

    /// <summary>
    /// The training split cut to its first <paramref name="trainImages"/> images, named "Fashion-MNIST train, first N"
    /// (the whole split, as <see cref="Load"/> names it, when it has no more than that), and the whole test split, both
    /// loaded as <see cref="Load"/> does by default (flattened, standardised). The caller disposes both.
    /// </summary>
    public static (TensorDataset Train, TensorDataset Test) LoadSplits(int trainImages)
    {
        if (trainImages <= 0) throw new ArgumentOutOfRangeException(nameof(trainImages), trainImages, $"need at least one training image; got {trainImages}.");
        var fullTrain = Load(train: true);
        var train = fullTrain;
        if (trainImages < fullTrain.Count)
        {
            train = fullTrain.Take(trainImages, $"Fashion-MNIST train, first {trainImages:N0}");
            fullTrain.Dispose();
        }
        return (train, Load(train: false));
    }

    static int s_announced;

    /// <summary>
    /// The folder <see cref="Load"/> reads when it is given none: the first complete one of <see cref="SearchFolders"/>,
    /// else a download. The first time in a process it says on stderr which folder that is, and, when <c>KIT_DATA</c> is
    /// set but incomplete, which files it lacks, so that a fallback to another copy is never silent.
    /// </summary>
    static string LocateForLoad(bool download)
    {
        var found = FindFolder();
        bool announce = Interlocked.Exchange(ref s_announced, 1) == 0;
        if (announce && IncompleteKitData(found) is { } gap) Console.Error.WriteLine($"Fashion-MNIST: {gap}");
        found ??= download ? Download() : throw new FileNotFoundException(MissingMessage());
        if (announce) Console.Error.WriteLine($"Fashion-MNIST: reading {found}");
        return found;
    }

    /// <summary>When <c>KIT_DATA</c> is set and <paramref name="found"/> is not in it: what its folders lack; else null.</summary>
    static string? IncompleteKitData(string? found)
    {
        if (Environment.GetEnvironmentVariable("KIT_DATA") is not { Length: > 0 } kitData) return null;
        string[] candidates = [Path.Combine(kitData, Name), kitData];
        if (found is not null && candidates.Contains(found)) return null;
        // The candidate holding most of the files (the dataset's subfolder on a tie) is the copy that was meant.
        var meant = candidates.OrderByDescending(f => AllFiles.Count(file => FindFile(f, file) is not null)).First();
        var missing = AllFiles.Where(file => FindFile(meant, file) is null).Select(file => file.Name + "[.gz]");
        return $"KIT_DATA={kitData} is incomplete: {meant} lacks {string.Join(", ", missing)}; "
            + (found is null ? "no other folder has all four files either." : $"using {found} instead.");
    }

    static IdxArray ReadVerified(string folder, DatasetFile file)
    {
        var path = FindFile(folder, file) ?? throw new FileNotFoundException($"{file.Name}[.gz] is missing from {folder}. {HowToGet}");
        var array = IdxReader.Read(path);
        VerifyContent(path, array, file);
        return array;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="source"/> unless the array's content is the official file's.</summary>
    internal static void VerifyContent(string source, IdxArray array, DatasetFile file)
    {
        // Rebuild the header to hash exactly the uncompressed file content.
        var header = new byte[4 + 4 * array.Dimensions.Length];
        header[2] = 0x08;
        header[3] = (byte)array.Dimensions.Length;
        for (int i = 0; i < array.Dimensions.Length; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), array.Dimensions[i]);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(header);
        sha.AppendData(array.Data);
        var actual = Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
        if (actual != file.ContentSha256)
            throw new InvalidDataException($"{source}: content SHA-256 is {actual}, expected {file.ContentSha256} (the official {file.Name}); the file is corrupt or not Fashion-MNIST. {HowToGet}");
    }

    /// <summary>
    /// Fetches and verifies the four files into <paramref name="folder"/> (default: <c>$KIT_DATA/fashion-mnist</c>, else
    /// the repository's <c>data/fashion-mnist</c>) and returns its full path; see <see cref="FashionMnistFetcher"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">No source worked; the message lists every step tried and why it failed.</exception>
    public static string Download(string? folder = null) => FashionMnistFetcher.Fetch(new FashionMnistFetchOptions { Folder = folder });

    static string MissingMessage() =>
        $"Fashion-MNIST was not found in any of: {string.Join(", ", SearchFolders())}. {HowToGet}";

    public static DatasetStatus Status() => new(Name, FindFolder(), HowToGet);
}
