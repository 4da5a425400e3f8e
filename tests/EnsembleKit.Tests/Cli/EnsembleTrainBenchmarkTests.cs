using EnsembleKit.Cli;

namespace EnsembleKit.Tests.Cli;

public class EnsembleTrainBenchmarkTests
{
    [Fact]
    public void NonPositiveLeNetStepsFail()
    {
        Assert.Equal(2, Program.Main(["bench", "ensemble-train", "--lenet-steps", "0"]));
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
