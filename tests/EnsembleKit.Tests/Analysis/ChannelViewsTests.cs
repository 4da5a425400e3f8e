using EnsembleKit.Analysis;
using EnsembleKit.Data;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Analysis;

public class ChannelViewsTests
{
    /// <summary>[2, 4, 1, 2] with value 100·n + 10·c + w, so every element names its sample, channel and column.</summary>
    static Tensor Features()
    {
        var values = new float[2 * 4 * 2];
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 4; c++)
                for (int w = 0; w < 2; w++) values[(n * 4 + c) * 2 + w] = 100 * n + 10 * c + w;
        return tensor(values).reshape(2, 4, 1, 2);
    }

    [Fact]
    public void SplitKeepsTheRequestedBlockOfConsecutiveChannels()
    {
        using var x = Features();
        using var second = ChannelViews.Split(x, k: 2, part: 1);
        Assert.Equal(new long[] { 2, 2, 1, 2 }, second.shape);
        Assert.Equal(new float[] { 20, 21, 30, 31, 120, 121, 130, 131 }, second.data<float>().ToArray());
        using var quarter = ChannelViews.Split(x, k: 4, part: 2);
        Assert.Equal(new float[] { 20, 21, 120, 121 }, quarter.data<float>().ToArray());
        using var first = ChannelViews.Split(x, k: 2);
        Assert.Equal(new float[] { 0, 1, 10, 11, 100, 101, 110, 111 }, first.data<float>().ToArray());
    }

    [Fact]
    public void AverageTakesTheMeanOfConsecutiveChannelGroups()
    {
        using var x = Features();
        using var pairs = ChannelViews.Average(x, k: 2);
        Assert.Equal(new long[] { 2, 2, 1, 2 }, pairs.shape);
        // (0 + 10) / 2 = 5 and (20 + 30) / 2 = 25 at column 0; +1 at column 1; +100 for sample 1.
        Assert.Equal(new float[] { 5, 6, 25, 26, 105, 106, 125, 126 }, pairs.data<float>().ToArray());
        using var all = ChannelViews.Average(x, k: 4);
        Assert.Equal(new float[] { 15, 16, 115, 116 }, all.data<float>().ToArray());
        using var none = ChannelViews.Average(x, k: 1);
        Assert.Equal(x.data<float>().ToArray(), none.data<float>().ToArray());
    }

    [Fact]
    public void ResultsAreCopiesThatLeaveTheInputAlone()
    {
        using var x = Features();
        using var split = ChannelViews.Split(x, k: 1);
        split.fill_(-1);
        Assert.Equal(31f, x[0, 3, 0, 1].item<float>());
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        using var x = Features();
        var notDivisible = Assert.Throws<ArgumentException>(() => ChannelViews.Split(x, k: 3));
        Assert.Equal("k", notDivisible.ParamName);
        Assert.Contains("k = 3", notDivisible.Message);
        Assert.Contains("C = 4", notDivisible.Message);
        Assert.Equal("k", Assert.Throws<ArgumentException>(() => ChannelViews.Average(x, k: 3)).ParamName);
        Assert.Contains("got 0", Assert.Throws<ArgumentOutOfRangeException>(() => ChannelViews.Average(x, k: 0)).Message);
        var part = Assert.Throws<ArgumentOutOfRangeException>(() => ChannelViews.Split(x, k: 2, part: 2));
        Assert.Equal("part", part.ParamName);
        Assert.Contains("got 2", part.Message);
        using var flat = zeros(2, 4);
        var shape = Assert.Throws<ArgumentException>(() => ChannelViews.Average(flat, k: 2));
        Assert.Equal("features", shape.ParamName);
        Assert.Contains("[2, 4]", shape.Message);
    }

    [Fact]
    public void DatasetViewsShareTargetsAndNameTheView()
    {
        using var data = new TensorDataset(Features(), tensor(new long[] { 1, 0 }), classCount: 3, name: "conv1");
        using var split = ChannelViews.Split(data, k: 2, part: 1);
        using var averaged = ChannelViews.Average(data, k: 2);
        Assert.Equal("conv1 split 2 of 2", split.Name);
        Assert.Equal("conv1 avg over 2", averaged.Name);
        foreach (var view in new[] { split, averaged })
        {
            Assert.Equal(new long[] { 1, 0 }, view.Targets.data<long>().ToArray());
            Assert.Equal(3, view.ClassCount);
            Assert.Equal(new long[] { 2, 2, 1, 2 }, view.Inputs.shape);
        }
        using var expected = ChannelViews.Average(data.Inputs, 2);
        Assert.Equal(expected.data<float>().ToArray(), averaged.Inputs.data<float>().ToArray());
    }

    [Fact]
    public void ViewsLeakNoTensors()
    {
        using var data = new TensorDataset(Features(), tensor(new long[] { 1, 0 }), classCount: 3, name: "conv1");
        void Run()
        {
            ChannelViews.Split(data, k: 2, part: 1).Dispose();
            ChannelViews.Average(data, k: 4).Dispose();
            ChannelViews.Split(data.Inputs, 4, 3).Dispose();
            ChannelViews.Average(data.Inputs, 2).Dispose();
        }
        Run();
        long before = TestSupport.LiveTensorCount();
        for (int i = 0; i < 3; i++) Run();
        Assert.Equal(before, Tensor.TotalCount);
    }
}
