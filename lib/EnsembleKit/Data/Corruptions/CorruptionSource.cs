namespace EnsembleKit.Data.Corruptions;

/// <summary>A clean test set the kit can corrupt, and the folder its generated sets are cached in.</summary>
public sealed record CorruptionSource(string Name, string[] Aliases, string FolderName)
{
    /// <summary>The Fashion-MNIST test set (10,000 images <c>[1, 28, 28]</c>).</summary>
    public static readonly CorruptionSource FashionMnist = new("fashion-mnist-c", ["fmnist-c", "fmnist-corrupted", "fashion-mnist-corrupted"], "fashion-mnist-c");

    /// <summary>The CIFAR-10 test set (10,000 images <c>[3, 32, 32]</c>).</summary>
    public static readonly CorruptionSource Cifar10 = new("cifar-10-c-gen", ["cifar10-c-gen", "cifar10-corrupted", "cifar-10-corrupted"], "cifar-10-c-generated");

    public static IReadOnlyList<CorruptionSource> All => [FashionMnist, Cifar10];

    /// <summary>The source called <paramref name="name"/> or one of its aliases (any case), or null.</summary>
    public static CorruptionSource? Find(string? name)
    {
        var key = name?.Trim().ToLowerInvariant();
        return All.FirstOrDefault(s => s.Name == key || s.Aliases.Contains(key));
    }
}
