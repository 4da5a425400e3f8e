using EnsembleKit.Backend;
using EnsembleKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Data;

/// <summary>
/// <see cref="ChannelsLast.Of"/> keeps shape and values and lays the channels out fastest; convolutions and pooling keep
/// that layout in their outputs (what makes a whole CNN run channels-last from its input on).
/// </summary>
public class ChannelsLastTests
{
    public ChannelsLastTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void ImagesKeepTheirShapeAndValuesWithChannelsFastest()
    {
        using var scope = NewDisposeScope();
        var images = randn([2, 3, 4, 5], generator: new Generator(1));
        var last = ChannelsLast.Of(images);
        Assert.Equal(images.shape, last.shape);
        Assert.True(last.equal(images).all().item<bool>());
        // NHWC strides, worked out by hand: a pixel is 3 values, a row 5 pixels, an image 4 rows.
        Assert.Equal(new long[] { 60, 1, 15, 3 }, last.stride());
        Assert.True(ChannelsLast.Is(last));
        Assert.False(ChannelsLast.Is(images));
    }

    [Fact]
    public void EveryLockstepMemberIsChannelsLast()
    {
        using var scope = NewDisposeScope();
        var members = randn([2, 3, 3, 4, 5], generator: new Generator(2));
        var last = ChannelsLast.Of(members);
        Assert.Equal(members.shape, last.shape);
        Assert.True(last.equal(members).all().item<bool>());
        Assert.Equal(new long[] { 180, 60, 1, 15, 3 }, last.stride());
        Assert.True(ChannelsLast.Is(last[0]));
        Assert.True(ChannelsLast.Is(last[1]));
    }

    [Fact]
    public void OneChannelIsBothLayoutsAtOnce()
    {
        // With C = 1 the channel stride is never used, as libtorch sees it.
        using var images = randn(2, 1, 4, 5);
        Assert.True(ChannelsLast.Is(images));
    }

    [Fact]
    public void ConvolutionAndPoolingKeepTheLayoutAndTheirValues()
    {
        using var scope = NewDisposeScope();
        var images = randn([4, 3, 12, 12], generator: new Generator(3));
        var weight = randn([8, 3, 5, 5], generator: new Generator(4)) * 0.1;
        var bias = randn([8], generator: new Generator(5));
        var plain = nn.functional.max_pool2d(nn.functional.relu(nn.functional.conv2d(images, weight, bias)), 2);
        var last = nn.functional.max_pool2d(nn.functional.relu(nn.functional.conv2d(ChannelsLast.Of(images), weight, bias)), 2);
        Assert.True(ChannelsLast.Is(last), $"strides [{string.Join(", ", last.stride())}]");
        Assert.False(ChannelsLast.Is(plain));
        Assert.True(last.allclose(plain, rtol: 1e-5, atol: 1e-6), $"max |Δ| {(last - plain).abs().max().item<float>():E2}");
    }

    [Theory]
    [InlineData(new long[] { 6, 784 })]
    [InlineData(new long[] { 3, 32, 32 })]
    [InlineData(new long[] { 1, 2, 3, 4, 5, 6 })]
    public void OtherShapesAreRefusedNamingTheShape(long[] shape)
    {
        using var values = zeros(shape);
        var refused = Assert.Throws<ArgumentException>(() => ChannelsLast.Of(values));
        Assert.Contains($"[{string.Join(", ", shape)}]", refused.Message);
        Assert.Throws<ArgumentNullException>(() => ChannelsLast.Of(null!));
    }

    [Fact]
    public void FewerThanThreeDimensionsAreNotImages()
    {
        using var flat = zeros(6, 784);
        Assert.False(ChannelsLast.Is(flat));
    }
}
