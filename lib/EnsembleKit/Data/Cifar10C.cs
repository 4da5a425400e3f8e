using EnsembleKit.Backend;
using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>
/// CIFAR-10-C (Hendrycks and Dietterich 2019): the CIFAR-10 test set under 19 corruptions at 5 severities,
/// one <c>&lt;corruption&gt;.npy</c> a corruption (uint8 <c>[50000, 32, 32, 3]</c>, severities 1-5 in blocks of
/// 10,000 rows) plus <c>labels.npy</c> (<c>[50000]</c>). Looked for under the folder name <c>CIFAR-10-C</c>.
/// </summary>
public static class Cifar10C
{
    public const string Name = "cifar-10-c";
    public const string FolderName = "CIFAR-10-C";
    public const int Severities = 5;

    /// <summary>The 15 benchmark corruptions, then the 4 extra ones.</summary>
    public static readonly string[] Corruptions =
    [
        "gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur", "glass_blur", "motion_blur", "zoom_blur",
        "snow", "frost", "fog", "brightness", "contrast", "elastic_transform", "pixelate", "jpeg_compression",
        "speckle_noise", "gaussian_blur", "spatter", "saturate",
    ];

    public const string HowToGet =
        "download CIFAR-10-C.tar from https://zenodo.org/records/2535967 and extract it into data/ (giving data/CIFAR-10-C/*.npy) " +
        "or into the folder KIT_DATA names.";

    public static IEnumerable<string> SearchFolders() => DataFolders.Search(FolderName);

    public static string? FindFolder() => SearchFolders().FirstOrDefault(f => File.Exists(Path.Combine(f, "labels.npy")));

    /// <summary>
    /// Loads one corruption at one severity (1-5) as float32 inputs <c>[N/5, 3, 32, 32]</c> in [0, 1] and int64
    /// targets <c>[N/5]</c> (N = 50,000 in the official files).
    /// </summary>
    public static TensorDataset Load(string corruption, int severity, string? folder = null)
    {
        TorchRuntime.EnsureInitialized();
        if (!Corruptions.Contains(corruption))
            throw new ArgumentException($"unknown CIFAR-10-C corruption '{corruption}'; known: {string.Join(", ", Corruptions)}.", nameof(corruption));
        if (severity is < 1 or > Severities)
            throw new ArgumentOutOfRangeException(nameof(severity), $"severity must be 1 to {Severities}; got {severity}.");
        folder ??= FindFolder() ?? throw new FileNotFoundException(
            $"CIFAR-10-C was not found in any of: {string.Join(", ", SearchFolders())}. To get it, {HowToGet}");
        var imagesPath = Path.Combine(folder, corruption + ".npy");
        var labelsPath = Path.Combine(folder, "labels.npy");
        foreach (var p in new[] { imagesPath, labelsPath })
            if (!File.Exists(p)) throw new FileNotFoundException($"{Path.GetFileName(p)} is missing from {folder}. To get CIFAR-10-C, {HowToGet}", p);
        var images = NpyReader.Read(imagesPath);
        var labels = NpyReader.Read(labelsPath);
        if (images.Descr is not ("|u1" or "<u1") || images.Shape is not [var n, 32, 32, 3])
            throw new InvalidDataException($"{imagesPath}: expected uint8 images [N, 32, 32, 3], found '{images.Descr}' [{string.Join(", ", images.Shape)}].");
        if (labels.Shape is not [var m] || m != n)
            throw new InvalidDataException($"{labelsPath}: expected labels [{n}] to match {Path.GetFileName(imagesPath)}, found [{string.Join(", ", labels.Shape)}].");
        if (n % Severities != 0)
            throw new InvalidDataException($"{imagesPath}: {n} images do not split into {Severities} equal severity blocks.");
        long block = n / Severities, start = (severity - 1) * block;
        var targets = labels.ToInt64();
        for (long i = start; i < start + block; i++)
            if (targets[i] is < 0 or >= Cifar10.ClassCount)
                throw new InvalidDataException($"{labelsPath}: label {i} is {targets[i]}; expected 0 to 9.");

        using var scope = NewDisposeScope();
        var pixels = images.Data.AsSpan((int)(start * 3072), (int)(block * 3072)).ToArray();
        var inputs = ImageTensors.FromBytes(pixels, [block, 32, 32, 3]).permute(0, 3, 1, 2).contiguous();
        var y = tensor(targets.AsSpan((int)start, (int)block).ToArray(), new long[] { block });
        return new TensorDataset(inputs, y, Cifar10.ClassCount, $"CIFAR-10-C {corruption} s{severity}");
    }

    public static DatasetStatus Status() => new(Name, FindFolder(), HowToGet);
}
