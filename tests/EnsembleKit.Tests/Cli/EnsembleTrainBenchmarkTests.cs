using EnsembleKit.Cli;

namespace EnsembleKit.Tests.Cli;

public class EnsembleTrainBenchmarkTests
{
    [Theory]
    [InlineData("--lenet-steps", "0", "--lenet-steps must be at least 1; got 0.")]
    [InlineData("--mlp-epochs", "-1", "--mlp-epochs must be at least 1; got -1.")]
    [InlineData("--workers", "0", "--workers must be 'auto' or a positive whole number; got '0'.")]
    public void BadSizesFailBeforeAnyWork(string option, string value, string message)
    {
        var (exit, error) = KitCli.RunInProcess(["bench", "ensemble-train", option, value]);
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("lap", "--size", "0")]
    [InlineData("lap", "--repeats", "0")]
    [InlineData("mlp-epoch", "--repeats", "0")]
    [InlineData("mlp-epoch", "--batch-size", "0")]
    [InlineData("tsne", "--points", "0")]
    [InlineData("tsne", "--iterations", "-3")]
    [InlineData("cnn-step", "--steps", "0")]
    [InlineData("member-conv", "--batch", "0")]
    public void EveryBenchRefusesANonPositiveSizeWhileParsing(string bench, string option, string value)
    {
        // Exit 2 and one line naming the option, before any data is read or any model built (mlp-epoch --repeats 0
        // used to train its warm-up epoch, then fail on the median of no timings).
        var (exit, error) = KitCli.RunInProcess(["bench", bench, option, value]);
        Assert.Equal(2, exit);
        Assert.Contains($"{option} must be at least 1; got {value}.", error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TimesLeNetMembersChannelsLastBothWays(bool lockstep)
    {
        EnsembleKit.Backend.TorchRuntime.EnsureInitialized();
        TorchSharp.torch.manual_seed(0);
        using var data = new EnsembleKit.Data.TensorDataset(TorchSharp.torch.rand(16, 3, 32, 32), TorchSharp.torch.randint(0, 10, [16]), 10, "random 3x32x32");
        double seconds = EnsembleKit.Cli.Benchmarks.EnsembleTrainBenchmark.Time(() => EnsembleKit.Models.LeNet.Small(), data, members: 2, epochs: 1,
            lockstep, workers: 1, channelsLast: true);
        Assert.True(seconds > 0 && seconds < 60, $"two LeNet-S members on 16 images took {seconds} s");
    }
}

public class MemberConvolutionBenchmarkTests
{
    [Fact]
    public void NonPositiveSizesFailAndASmallRunSucceeds()
    {
        Assert.Equal(2, Program.Main(["bench", "member-conv", "--members", "0"]));
        Assert.Equal(2, Program.Main(["bench", "member-conv", "--repeats", "-1"]));
        Assert.Equal(0, Program.Main(["bench", "member-conv", "--members", "2", "--batch", "2", "--repeats", "1"]));
    }
}
