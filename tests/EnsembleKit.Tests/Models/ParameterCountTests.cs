using EnsembleKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Models;

/// <summary>
/// Parameter counts (10 classes unless stated) against two independent numbers: the exact count worked out here in
/// closed form from the architecture's definition (not from our modules), and the count the source publishes, to
/// its printed rounding.
/// </summary>
public class ParameterCountTests
{
    static long Count(nn.Module model) => ModelRegistry.ParameterCount(model);

    static long Conv(long input, long output, long k, bool bias = false) => input * output * k * k + (bias ? output : 0);
    static long Bn(long channels) => 2 * channels;
    static long Fc(long input, long output) => input * output + output;

    /// <summary>He et al.'s CIFAR ResNet-6n+2, option A: stem conv+BN, 3 stages of n blocks (two conv+BN each), FC.</summary>
    static long CifarResNet(int depth, int classes = 10)
    {
        int n = (depth - 2) / 6;
        long total = Conv(3, 16, 3) + Bn(16);
        long input = 16;
        foreach (var width in new long[] { 16, 32, 64 })
            for (int b = 0; b < n; b++)
            {
                total += Conv(input, width, 3) + Bn(width) + Conv(width, width, 3) + Bn(width);
                input = width;
            }
        return total + Fc(64, classes);
    }

    /// <summary>WRN-d-k (Zagoruyko's code): conv 3→16, pre-activation blocks BN,conv,BN,conv (+1×1 shortcut on width change), BN, FC.</summary>
    static long Wrn(int depth, int k, int classes = 10)
    {
        int n = (depth - 4) / 6;
        long total = Conv(3, 16, 3);
        long input = 16;
        foreach (var width in new long[] { 16 * k, 32 * k, 64 * k })
            for (int b = 0; b < n; b++)
            {
                total += Bn(input) + Conv(input, width, 3) + Bn(width) + Conv(width, width, 3) + (input != width ? Conv(input, width, 1) : 0);
                input = width;
            }
        return total + Bn(input) + Fc(input, classes);
    }

    /// <summary>DenseNet: stem conv, dense layers (BN + conv3×3, or BN + conv1×1 to 4k + BN + conv3×3), transitions
    /// BN + conv1×1 to ⌊θc⌋, final BN, FC. <paramref name="imageNetStem"/> adds the stem's BN and uses a 7×7 kernel.</summary>
    static long DenseNetCount(int k, int[] blocks, bool bottleneck, double theta, int stem, int classes = 10, bool imageNetStem = false)
    {
        long total = imageNetStem ? Conv(3, stem, 7) + Bn(stem) : Conv(3, stem, 3);
        long c = stem;
        for (int s = 0; s < blocks.Length; s++)
        {
            for (int l = 0; l < blocks[s]; l++)
            {
                total += bottleneck ? Bn(c) + Conv(c, 4 * k, 1) + Bn(4 * k) + Conv(4 * k, k, 3) : Bn(c) + Conv(c, k, 3);
                c += k;
            }
            if (s < blocks.Length - 1)
            {
                long next = (long)Math.Floor(theta * c);
                total += Bn(c) + Conv(c, next, 1);
                c = next;
            }
        }
        return total + Bn(c) + Fc(c, classes);
    }

    /// <summary>VGG-16: 13 conv3×3 with bias (+BN), then FC heads.</summary>
    static long Vgg16(bool bn, bool mlpHead, int classes = 10)
    {
        int[] widths = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512];
        long total = 0, input = 3;
        foreach (var w in widths)
        {
            total += Conv(input, w, 3, bias: true) + (bn ? Bn(w) : 0);
            input = w;
        }
        return total + (mlpHead ? Fc(512, 512) + Fc(512, 512) + Fc(512, classes) : Fc(512, classes));
    }

    public static IEnumerable<object[]> Cases() =>
    [
        // name, exact count (closed form above), published value, published rounding unit, source
        ["lenet-s", 253_290L, 253_290.0, 1.0, "seed 002 §5.3: LeNet-S 253,290 parameters"],
        ["lenet-m", 1_007_306L, 1_007_306.0, 1.0, "seed 002 §5.3: LeNet-M 1,007,306"],
        ["lenet-l", 4_017_546L, 4_017_546.0, 1.0, "seed 002 §5.3: LeNet-L 4,017,546"],
        ["small-cnn", 15_722L, 15_722.0, 1.0, "SmallCNN_Cifar10.ipynb Keras summary: Total params 15,722"],
        ["medium-cnn", 245_290L, 245_290.0, 1.0, "MediumCNN_Cifar10.ipynb Keras summary: Total params 245,290"],
        ["resnet20", CifarResNet(20), 0.27e6, 0.01e6, "He et al. 2016 Table 6: 0.27M"],
        ["resnet32", CifarResNet(32), 0.46e6, 0.01e6, "He et al. 2016 Table 6: 0.46M"],
        ["resnet44", CifarResNet(44), 0.66e6, 0.01e6, "He et al. 2016 Table 6: 0.66M"],
        ["resnet56", CifarResNet(56), 0.85e6, 0.01e6, "He et al. 2016 Table 6: 0.85M"],
        ["resnet110", CifarResNet(110), 1.7e6, 0.1e6, "He et al. 2016 Table 6: 1.7M"],
        ["resnet18", 11_173_962L, 11.2e6, 0.1e6, "CIFAR ResNet-18 (kuangliu/pytorch-cifar), usually quoted 11.2M"],
        ["wrn-16-4", Wrn(16, 4), 2.7e6, 0.1e6, "Zagoruyko & Komodakis 2016: WRN-16-4 2.7M"],
        ["wrn-16-8", Wrn(16, 8), 11.0e6, 0.1e6, "Zagoruyko & Komodakis 2016: WRN-16-8 11.0M"],
        ["wrn-40-4", Wrn(40, 4), 8.9e6, 0.1e6, "Zagoruyko & Komodakis 2016: WRN-40-4 8.9M"],
        ["wrn-28-10", Wrn(28, 10), 36.5e6, 0.1e6, "Zagoruyko & Komodakis 2016: WRN-28-10 36.5M (seed 002: ~36M, 36.5M in Table 5.3)"],
        ["vgg16-bn", Vgg16(bn: true, mlpHead: true), 15e6, 1e6, "VGG16BN of Garipov et al. (FGE) / Ashukha et al.: ~15M"],
        ["vgg16", Vgg16(bn: false, mlpHead: true), 15e6, 1e6, "VGG16 of Garipov et al. (FGE): ~15M"],
        ["densenet-40", DenseNetCount(12, [12, 12, 12], false, 1.0, 16), 1.0e6, 0.1e6, "Huang et al. 2017 Table 2: DenseNet (L=40, k=12) 1.0M"],
        ["densenet-bc-100", DenseNetCount(12, [16, 16, 16], true, 0.5, 24), 0.8e6, 0.1e6, "Huang et al. 2017 Table 2: DenseNet-BC (L=100, k=12) 0.8M"],
        ["densenet-100", DenseNetCount(24, [32, 32, 32], false, 1.0, 16), 27.2e6, 0.1e6, "Huang et al. 2017 Table 2: DenseNet (L=100, k=24) 27.2M"],
        ["densenet-121", DenseNetCount(32, [6, 12, 24, 16], true, 0.5, 64), 7.0e6, 0.1e6, "CIFAR DenseNet-121 (kuangliu/pytorch-cifar), usually quoted 7.0M"],
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesClosedFormAndPublishedCount(string name, long exact, double published, double unit, string source)
    {
        manual_seed(0);
        using var model = ModelRegistry.Create(name, 10);
        long count = Count(model);
        Assert.Equal(exact, count);
        Assert.True(Math.Abs(count - published) <= unit / 2, $"{name}: {count:N0} parameters; published {published:N0} ± {unit / 2:N0} ({source}).");
    }

    [Fact]
    public void HandWorkedCountsAgreeWithTheClosedForms()
    {
        // worked by hand: ResNet-20 = 268,336 conv/fc weights + 1,376 BN + 10 fc bias; DenseNet-BC-100 and WRN-16-4 summed layer by layer
        Assert.Equal(269_722, CifarResNet(20));
        Assert.Equal(853_018, CifarResNet(56));
        Assert.Equal(1_727_962, CifarResNet(110));
        Assert.Equal(2_748_890, Wrn(16, 4));
        Assert.Equal(769_162, DenseNetCount(12, [16, 16, 16], true, 0.5, 24));
        // VGG-16-BN: 13 convs with bias 14,714,688 + BN 8,448; heads
        Assert.Equal(14_728_266, Vgg16(bn: true, mlpHead: false));
        Assert.Equal(15_253_578, Vgg16(bn: true, mlpHead: true));
    }

    /// <summary>With the ImageNet stem and 1000 classes, ResNet-18/34 and DenseNet-121 are torchvision's architectures;
    /// torchvision publishes the exact counts (resnet18 11,689,512; resnet34 21,797,672; densenet121 7,978,856).</summary>
    [Fact]
    public void ImageNetStemMatchesTorchvisionExactly()
    {
        manual_seed(0);
        using (var r18 = ResNet.ResNet18(1000, stem: StemKind.ImageNet, imageSize: 224)) Assert.Equal(11_689_512, Count(r18));
        using (var r34 = ResNet.ResNet34(1000, stem: StemKind.ImageNet, imageSize: 224)) Assert.Equal(21_797_672, Count(r34));
        using (var d121 = new DenseNet(DenseNetConfig.DenseNet121, 1000, imageSize: 224, stem: StemKind.ImageNet))
        {
            Assert.Equal(7_978_856, Count(d121));
            Assert.Equal(DenseNetCount(32, [6, 12, 24, 16], true, 0.5, 64, 1000, imageNetStem: true), Count(d121));
        }
    }

    [Fact]
    public void ClassCountAndInputShapeChangeOnlyTheLayersTheyShould()
    {
        manual_seed(0);
        // CIFAR-100: only the classifier grows, by 90 rows of (64 weights + 1 bias) for ResNet-20
        using (var r = ModelRegistry.Create("resnet20", 100)) Assert.Equal(CifarResNet(20, 100), Count(r));
        Assert.Equal(269_722 + 90 * 65, CifarResNet(20, 100));
        // LeNet-S on 1x28x28: conv1 1·25·16+16 = 416, conv2 12,832, fc1 (32·4·4=512)·256+256 = 131,328, fc2 32,896, fc3 1,290
        using var lenet = ModelRegistry.Create("lenet-s", 10, ModelOptions.Mnist);
        Assert.Equal(416 + 12_832 + 131_328 + 32_896 + 1_290, Count(lenet));
        // VGG-16-BN with the linear head
        using var vgg = new Vgg(16, batchNorm: true, VggHead.Linear);
        Assert.Equal(14_728_266, Count(vgg));
    }
}
