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
