using EnsembleKit.Data;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Data;

public class AugmentationTests
{
    static Tensor Images(long b, long seed = 0)
    {
        using var g = new Generator((ulong)seed + 1);
        return rand([b, 3, 32, 32], generator: g);
    }

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.allclose(b, rtol: 0, atol: 0);

    [Fact]
    public void FlippingTwiceIsTheIdentity()
    {
        using var scope = NewDisposeScope();
        var x = Images(8);
        Assert.True(Same(x, RandomHorizontalFlip.FlipAll(RandomHorizontalFlip.FlipAll(x))));
        var flipped = RandomHorizontalFlip.FlipAll(x);
        Assert.Equal(x[3, 1, 7, 0].item<float>(), flipped[3, 1, 7, 31].item<float>());
        using var g = new Generator(5);
        Assert.True(Same(x, new RandomHorizontalFlip(0).Apply(x, g)));
        Assert.True(Same(flipped, new RandomHorizontalFlip(1).Apply(x, g)));
    }

    [Fact]
    public void RandomFlipMirrorsAboutHalfTheSamplesAndLeavesTheRest()
    {
        using var scope = NewDisposeScope();
        var x = Images(256);
        using var g = new Generator(7);
        var y = new RandomHorizontalFlip(0.5).Apply(x, g);
        var flipped = x.flip(3);
        int mirrored = 0;
        for (int i = 0; i < 256; i++)
        {
            bool isFlipped = Same(y[i], flipped[i]), isSame = Same(y[i], x[i]);
            Assert.True(isFlipped ^ isSame, $"sample {i} is neither the original nor its mirror");
            if (isFlipped) mirrored++;
        }
        Assert.InRange(mirrored, 100, 156); // binomial(256, 0.5): mean 128, sd 8
    }

    [Fact]
    public void CropKeepsTheShapeAndTakesAWindowOfThePaddedImage()
    {
        using var scope = NewDisposeScope();
        var x = Images(16);
        using var g = new Generator(3);
        var y = new RandomCrop(4).Apply(x, g);
        Assert.Equal(x.shape, y.shape);
        var padded = nn.functional.pad(x, [4, 4, 4, 4]);
        var offsets = new HashSet<(int, int)>();
        for (int i = 0; i < 16; i++)
        {
            // brute force: exactly one of the 81 windows equals the crop
            var matches = (from top in Enumerable.Range(0, 9)
                           from left in Enumerable.Range(0, 9)
                           where Same(y[i], padded[i].narrow(1, top, 32).narrow(2, left, 32))
                           select (top, left)).ToList();
            Assert.Single(matches);
            offsets.Add(matches[0]);
        }
        Assert.True(offsets.Count > 8, $"only {offsets.Count} distinct offsets in 16 samples");
    }

    [Fact]
    public void SameSeedSameOutputOtherSeedOtherOutput()
    {
        using var scope = NewDisposeScope();
        var x = Images(32);
        var augment = Cifar10.TrainAugmentation();
        Tensor Run(ulong seed)
        {
            using var g = new Generator(seed);
            return augment.Apply(x, g);
        }
        Assert.True(Same(Run(11), Run(11)));
        Assert.False(Same(Run(11), Run(12)));
        Assert.Equal(x.shape, Run(1).shape);
        Assert.True(Same(x, Images(32))); // the input is never modified
    }

    [Fact]
    public void NormalisationMatchesHandComputedValues()
    {
        using var scope = NewDisposeScope();
        // one 1x1 image per channel value: R = 1, G = 0, B = 0.5
        var x = tensor(new float[] { 1f, 0f, 0.5f }, [1, 3, 1, 1]);
        var y = Normalize.Cifar10.Apply(x).data<float>().ToArray();
        Assert.Equal((1 - 0.4914) / 0.2470, y[0], 5);   // 2.059109
        Assert.Equal((0 - 0.4822) / 0.2435, y[1], 5);   // -1.980287
        Assert.Equal((0.5 - 0.4465) / 0.2616, y[2], 5); // 0.204511
        Assert.Equal(2.059109, y[0], 5);
        Assert.Throws<ArgumentException>(() => Normalize.Cifar10.Apply(zeros(2, 1, 4, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Normalize([0.5f], [0f]));
    }

    [Fact]
    public void PaddedPixelsAreBlackBeforeNormalisation()
    {
        using var scope = NewDisposeScope();
        var x = ones(64, 3, 32, 32);
        using var g = new Generator(1);
        var y = Cifar10.TrainAugmentation().Apply(x, g);
        // a crop that reaches into the padding holds zeros there, i.e. -mean/std after normalisation
        float blackR = -0.4914f / 0.2470f, whiteR = (1 - 0.4914f) / 0.2470f;
        var r = y.select(1, 0);
        Assert.Equal(blackR, r.min().item<float>(), 4);
        Assert.Equal(whiteR, r.max().item<float>(), 4);
    }

    [Fact]
    public void BadInputsAreRejected()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(1);
        Assert.Throws<ArgumentException>(() => new RandomCrop(4).Apply(zeros(3, 32, 32), g));
        Assert.Throws<ArgumentException>(() => new RandomHorizontalFlip().Apply(zeros(3, 32), g));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomCrop(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomHorizontalFlip(1.5));
    }
}
