using EnsembleKit.Cli.Benchmarks;

namespace EnsembleKit.Tests.Cli;

public class CnnStepBenchmarkTests
{
    [Fact]
    public void TimesAStepAndReportsTheModelSize()
    {
        double seconds = CnnStepBenchmark.Run("lenet-s", batchSize: 4, timedSteps: 1, out long parameters);
        Assert.Equal(253_290, parameters);
        Assert.True(seconds > 0 && seconds < 60, $"one LeNet-S step on 4 images took {seconds} s");
        double channelsLast = CnnStepBenchmark.Run("resnet20", batchSize: 4, timedSteps: 1, out long resnetParameters, channelsLast: true);
        Assert.Equal(269_722, resnetParameters);
        Assert.True(channelsLast > 0 && channelsLast < 60, $"one channels-last ResNet-20 step on 4 images took {channelsLast} s");
        Assert.Throws<ArgumentException>(() => CnnStepBenchmark.Run("lenet-xl", 4, 1, out _));
    }
}
