using EnsembleKit.Backend;
using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>
/// SVHN cropped digits (Netzer et al. 2011), format 2: <c>train_32x32.mat</c> (73,257 images),
/// <c>test_32x32.mat</c> (26,032) and <c>extra_32x32.mat</c> (531,131), MATLAB level-5 files holding
/// <c>X</c> uint8 <c>[32, 32, 3, N]</c> (column-major: row, column, channel, image) and <c>y</c> <c>[N, 1]</c>
/// with labels 1-10, where 10 stands for the digit 0. Looked for under the folder name <c>svhn</c>.
/// </summary>
public static class Svhn
{
    public const string Name = "svhn";
    public const string FolderName = "svhn";
    public const int ClassCount = 10;

    /// <summary>The split files with the MD5s torchvision and Keras check.</summary>
    public static readonly IReadOnlyDictionary<string, CheckedFile> Files = new Dictionary<string, CheckedFile>
    {
        ["train"] = new("train_32x32.mat", 182_040_794, "e26dedcc434d2e4c54c9b2d4a06d8373"),
        ["test"] = new("test_32x32.mat", 64_275_384, "eb5a983be6a315427106f1b164d9cef3"),
        ["extra"] = new("extra_32x32.mat", null, "a93ce644f1a588dc4d68dda5feec44a7"),
    };

    public const string HowToGet =
        "download http://ufldl.stanford.edu/housenumbers/train_32x32.mat and test_32x32.mat (and optionally extra_32x32.mat) " +
        "into data/svhn or the folder KIT_DATA names.";

    public static IEnumerable<string> SearchFolders() => DataFolders.Search(FolderName);

    public static string? FindFolder() =>
        SearchFolders().FirstOrDefault(f => File.Exists(Path.Combine(f, Files["train"].Name)) && File.Exists(Path.Combine(f, Files["test"].Name)));

    /// <summary>
    /// Loads a split (<c>train</c>, <c>test</c> or <c>extra</c>) as float32 inputs <c>[N, 3, 32, 32]</c> in [0, 1]
    /// and int64 targets <c>[N]</c> with the digit itself (label 10 becomes 0).
    /// </summary>
    /// <param name="split">train, test or extra.</param>
    /// <param name="folder">Read from this folder instead of searching.</param>
    /// <param name="verifyChecksums">Check the file's published MD5 (and length where known).</param>
    public static TensorDataset Load(string split = "train", string? folder = null, bool verifyChecksums = true)
    {
        TorchRuntime.EnsureInitialized();
        var file = Files.TryGetValue(split, out var f) ? f
            : throw new ArgumentException($"unknown SVHN split '{split}'; use train, test or extra.", nameof(split));
        folder ??= FindFolder() ?? throw new FileNotFoundException(
            $"SVHN was not found in any of: {string.Join(", ", SearchFolders())}. To get it, {HowToGet}");
        var path = Path.Combine(folder, file.Name);
        if (!File.Exists(path)) throw new FileNotFoundException($"{file.Name} is missing from {folder}. To get SVHN, {HowToGet}", path);
        var bytes = File.ReadAllBytes(path);
        if (verifyChecksums) file.Verify(bytes, path);
        var variables = MatReader.Parse(bytes, path);
        return FromMat(variables, path, $"SVHN {split}");
    }

    /// <summary>Builds the dataset from the MAT variables <c>X</c> and <c>y</c>; <paramref name="source"/> names the file in errors.</summary>
    internal static TensorDataset FromMat(IReadOnlyDictionary<string, MatArray> variables, string source, string name)
    {
        var x = variables.TryGetValue("X", out var xv) ? xv : throw new InvalidDataException($"{source}: no numeric variable 'X' (found: {string.Join(", ", variables.Keys)}).");
        var y = variables.TryGetValue("y", out var yv) ? yv : throw new InvalidDataException($"{source}: no numeric variable 'y' (found: {string.Join(", ", variables.Keys)}).");
        if (x.Dimensions is not [32, 32, 3, var n])
            throw new InvalidDataException($"{source}: X has dimensions [{string.Join(", ", x.Dimensions)}], expected [32, 32, 3, N].");
        if (y.Count != n || y.Dimensions.Count(d => d != 1) > 1)
            throw new InvalidDataException($"{source}: y has dimensions [{string.Join(", ", y.Dimensions)}], expected [{n}, 1] to match X's {n} images.");
        var labels = y.ToDoubles();
        var targets = new byte[n];
        for (int i = 0; i < n; i++)
        {
            double v = labels[i];
            if (v is < 0 or > 10 || v != Math.Floor(v))
                throw new InvalidDataException($"{source}: y[{i}] is {v}; SVHN labels are 1 to 10 (10 = digit 0).");
            targets[i] = (byte)(v == 10 ? 0 : v);
        }
        using var scope = NewDisposeScope();
        // Column-major [32 rows, 32 cols, 3, N] is row-major [N, 3, 32 cols, 32 rows]; swap the last two.
        var inputs = ImageTensors.FromBytes(x.ToBytes(), [n, 3, 32, 32]).transpose(2, 3).contiguous();
        return new TensorDataset(inputs, ImageTensors.Labels(targets), ClassCount, name);
    }

    public static DatasetStatus Status() => new(Name, FindFolder(), HowToGet);
}
