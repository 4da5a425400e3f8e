namespace EnsembleKit.Models;

/// <summary>
/// The shape of a <see cref="DenseNet"/> (Huang et al. 2017): growth rate k, dense layers per block, whether layers
/// have a 1×1 bottleneck to 4k channels ("B"), the transition compression θ ("C" when &lt; 1), and the channels of
/// the stem. Presets: the CIFAR nets of the DenseNet paper's Table 2 and the CIFAR variant of DenseNet-121.
/// </summary>
public sealed record DenseNetConfig(int GrowthRate, IReadOnlyList<int> LayersPerBlock, bool Bottleneck, double Compression, int StemChannels)
{
    /// <summary>DenseNet (L = 40, k = 12): 3 blocks of 12 plain layers, 16 stem channels, no compression; 1.0M parameters
    /// (Huang et al. Table 2); the "DenseNet-40" of Snapshot Ensembles (seed 004, E4.1).</summary>
    public static DenseNetConfig DenseNet40 { get; } = new(12, [12, 12, 12], false, 1.0, 16);

    /// <summary>DenseNet (L = 100, k = 24): 3 blocks of 32 plain layers; 27.2M parameters (Table 2); the "DenseNet-100"
    /// of Snapshot Ensembles (its single-model errors 3.74 / 19.25 are this row of Table 2).</summary>
    public static DenseNetConfig DenseNet100 { get; } = new(24, [32, 32, 32], false, 1.0, 16);

    /// <summary>DenseNet-BC (L = 100, k = 12): 3 blocks of 16 bottleneck layers, θ = 0.5, 2k = 24 stem channels; 0.8M
    /// parameters (Table 2).</summary>
    public static DenseNetConfig DenseNetBC100 { get; } = new(12, [16, 16, 16], true, 0.5, 24);

    /// <summary>DenseNet-121 (k = 32, blocks 6/12/24/16, bottleneck, θ = 0.5, 64 stem channels): seed 002's Table 5.1
    /// model. With the ImageNet stem and 1000 classes it is torchvision's densenet121 (7,978,856 parameters).</summary>
    public static DenseNetConfig DenseNet121 { get; } = new(32, [6, 12, 24, 16], true, 0.5, 64);

    /// <summary>Total depth L counted as in the paper: stem, one (plain) or two (bottleneck) convolutions per layer,
    /// transitions, classifier.</summary>
    public int Depth => 1 + LayersPerBlock.Sum() * (Bottleneck ? 2 : 1) + (LayersPerBlock.Count - 1) + 1;

    public override string ToString() =>
        $"DenseNet{(Bottleneck ? "-B" : "")}{(Compression < 1 ? "C" : "")} k={GrowthRate} blocks [{string.Join(", ", LayersPerBlock)}] θ={Compression} stem {StemChannels}";
}
