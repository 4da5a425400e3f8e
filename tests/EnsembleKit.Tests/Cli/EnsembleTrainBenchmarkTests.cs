using EnsembleKit.Cli;

namespace EnsembleKit.Tests.Cli;

public class EnsembleTrainBenchmarkTests
{
    [Theory]
    [InlineData("--lenet-steps", "0", "--lenet-steps must be positive; got 0.")]
    [InlineData("--mlp-epochs", "-1", "--mlp-epochs must be positive; got -1.")]
    [InlineData("--workers", "0", "--workers must be 'auto' or a positive whole number; got '0'.")]
    public void BadSizesFailBeforeAnyWork(string option, string value, string message)
    {
        var (exit, error) = KitCli.RunInProcess(["bench", "ensemble-train", option, value]);
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
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
