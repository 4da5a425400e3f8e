using EnsembleKit.Backend;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// VGG for 32×32 images (Simonyan &amp; Zisserman 2015, CIFAR variant): five groups of 3×3 convolutions (with bias,
/// optionally followed by batch norm) and ReLU, each group ending in a 2×2 max pool, so 32×32 inputs leave 512 features
/// of 1×1; then the <see cref="VggHead"/>. VGG-16 groups: 64,64 | 128,128 | 256×3 | 512×3 | 512×3.
/// Default: VGG-16 with batch norm and the <see cref="VggHead.Mlp"/> head of Garipov et al. (15,253,578 parameters
/// for 10 classes, "15M"); with <see cref="VggHead.Linear"/> 14,728,266. Convolutions He-normal (fan-out), as
/// Garipov et al.; linear layers TorchSharp's default. Call <c>eval()</c> before inference (batch norm, dropout).
/// <para>Inputs <c>[B, inChannels, imageSize, imageSize]</c> float32 with <c>imageSize</c> a multiple of 32; outputs
/// logits <c>[B, classCount]</c>.</para>
/// <para>Parameter names (stable, for permutation specs): <c>layers.{j}.conv.weight [out, in, 3, 3]</c>,
/// <c>layers.{j}.conv.bias</c>, <c>layers.{j}.bn.*</c> for the j-th convolution (0…12 for VGG-16; pools follow
/// j = 1, 3, 6, 9, 12); MLP head <c>fc1.weight [512, 512·(s/32)²]</c>, <c>fc1.bias</c>, <c>fc2.weight [512, 512]</c>,
/// <c>fc2.bias</c>; always <c>classifier.weight [C, ·]</c>, <c>classifier.bias</c>.</para>
/// </summary>
public sealed class Vgg : nn.Module<Tensor, Tensor>, IImageClassifier
{
    static readonly Dictionary<int, int[][]> Configurations = new()
    {
        [11] = [[64], [128], [256, 256], [512, 512], [512, 512]],
        [13] = [[64, 64], [128, 128], [256, 256], [512, 512], [512, 512]],
        [16] = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]],
        [19] = [[64, 64], [128, 128], [256, 256, 256, 256], [512, 512, 512, 512], [512, 512, 512, 512]],
    };

    public int InChannels { get; }
    public int ImageSize { get; }
    public int ClassCount { get; }
    public int Depth { get; }
    public bool BatchNorm { get; }
    public VggHead Head { get; }
    public double DropoutRate { get; }

    readonly ModuleList<VggLayer> layers;
    readonly Linear? fc1;
    readonly Linear? fc2;
    readonly Linear classifier;
    readonly Dropout? dropout;
    readonly HashSet<int> poolAfter = [];

    /// <param name="depth">11, 13, 16 or 19.</param>
    /// <param name="batchNorm">Follow every convolution with batch norm (true by default).</param>
    /// <param name="head">The classifier on top of the convolutions; the MLP head of Garipov et al. by default.</param>
    /// <param name="classCount">Number of output logits (at least 2; 10 by default).</param>
    /// <param name="inChannels">Channels of the input images (at least 1; 3 by default).</param>
    /// <param name="imageSize">Height and width of the square input images, in pixels: a positive multiple of 32
    /// (32 by default).</param>
    /// <param name="dropoutRate">Dropout before fc1 and fc2 of the MLP head; null: Garipov et al.'s 0.5 (MLP head), none (linear head).</param>
    public Vgg(int depth = 16, bool batchNorm = true, VggHead head = VggHead.Mlp, int classCount = 10, int inChannels = 3,
        int imageSize = 32, double? dropoutRate = null) : base("Vgg")
    {
        TorchRuntime.EnsureInitialized();
        ModelGuards.RequireImageArguments("Vgg", classCount, inChannels, imageSize);
        double rate = dropoutRate ?? (head == VggHead.Mlp ? 0.5 : 0.0);
        ModelGuards.RequireDropout("Vgg", rate);
        if (!Configurations.TryGetValue(depth, out var groups))
            throw new ArgumentOutOfRangeException(nameof(depth), $"VGG depth must be 11, 13, 16 or 19; got {depth}.");
        if (imageSize % 32 != 0)
            throw new ArgumentOutOfRangeException(nameof(imageSize), $"Vgg halves the resolution five times, so images must be a multiple of 32 pixels; got {imageSize}.");
        if (head == VggHead.Linear && rate > 0)
            throw new ArgumentException($"the linear VGG head has no dropout; got dropoutRate {rate}.", nameof(dropoutRate));
        InChannels = inChannels;
        ImageSize = imageSize;
        ClassCount = classCount;
        Depth = depth;
        BatchNorm = batchNorm;
        Head = head;
        DropoutRate = rate;

        var list = new List<VggLayer>();
        int channels = inChannels;
        foreach (var group in groups)
        {
            foreach (var width in group)
            {
                list.Add(new VggLayer(channels, width, batchNorm));
                channels = width;
            }
            poolAfter.Add(list.Count - 1);
        }
        layers = new ModuleList<VggLayer>(list.ToArray());
        int features = 512 * (imageSize / 32) * (imageSize / 32);
        if (head == VggHead.Mlp)
        {
            fc1 = nn.Linear(features, 512);
            fc2 = nn.Linear(512, 512);
            classifier = nn.Linear(512, classCount);
            if (DropoutRate > 0) dropout = nn.Dropout(DropoutRate);
        }
        else
        {
            classifier = nn.Linear(features, classCount);
        }
        RegisterComponents();
        WeightInit.HeNormalConvolutions(this);
    }

    public override Tensor forward(Tensor input)
    {
        ModelGuards.RequireImages(input, "Vgg", InChannels, ImageSize);
        using var scope = NewDisposeScope();
        var x = input;
        for (int j = 0; j < layers.Count; j++)
        {
            x = layers[j].forward(x);
            if (poolAfter.Contains(j)) x = nn.functional.max_pool2d(x, 2);
        }
        x = x.flatten(1);
        if (fc1 is not null && fc2 is not null)
        {
            x = nn.functional.relu(fc1.forward(Drop(x)));
            x = nn.functional.relu(fc2.forward(Drop(x)));
        }
        return classifier.forward(x).MoveToOuterDisposeScope();
    }

    Tensor Drop(Tensor x) => dropout is null ? x : dropout.forward(x);

    public override string ToString() =>
        $"VGG-{Depth}{(BatchNorm ? "-BN" : "")} ({Head} head) {InChannels}x{ImageSize}x{ImageSize} -> {ClassCount}";
}
