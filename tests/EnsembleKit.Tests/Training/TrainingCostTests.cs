using EnsembleKit.Data;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Training;

public class TrainingCostTests
{
    static TensorDataset Toy(int count)
    {
        using var scope = NewDisposeScope();
        var generator = manual_seed(3);
        var inputs = randn(count, 8);
        var targets = randint(0, 3, count, dtype: ScalarType.Int64);
        return new TensorDataset(inputs.MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope(), 3, "toy");
    }

    static readonly TrainingOptions Options = new() { BatchSize = 32, Progress = ProgressSinks.None };

    [Fact]
    public void CountsTheBatchesOfAnEpochAndTimesRealSteps()
    {
        using var train = Toy(100);
        var cost = TrainingCost.Measure(() => new Mlp([(8, 16), (16, 3)]), train, Options, steps: 2);
        Assert.Equal(4, cost.StepsPerEpoch);   // 32 + 32 + 32 + 4
        Assert.True(cost.SecondsPerStep > 0, $"seconds a step: {cost.SecondsPerStep}");
        Assert.Equal("cpu", cost.Device, ignoreCase: true);
        Assert.Equal(cost.SecondsPerStep * 4, cost.SecondsPerEpoch, 12);
        Assert.Equal(cost.SecondsPerEpoch * 10, cost.Estimate(10).TotalSeconds, 5);
        Assert.Equal(TimeSpan.Zero, cost.Estimate(0));
    }

    [Fact]
    public void ASetSmallerThanTheTimedStepsIsTimedAsItIs()
    {
        using var train = Toy(20);
        var cost = TrainingCost.Measure(() => new Mlp([(8, 16), (16, 3)]), train, Options, steps: 5);
        Assert.Equal(1, cost.StepsPerEpoch);
        Assert.True(cost.SecondsPerStep > 0);
    }

    [Theory]
    [InlineData(0.18, "0.2 s")]
    [InlineData(45, "45 s")]
    [InlineData(750, "12.5 min")]
    [InlineData(3.2 * 3600, "3.2 h")]
    [InlineData(5 * 86_400, "5.0 days")]
    public void DescribesDurationsForPeople(double seconds, string expected) =>
        Assert.Equal(expected, TrainingCost.Describe(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void SaysWhatIsWrongWithItsArguments()
    {
        using var train = Toy(10);
        using var empty = train.Take(0);
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingCost.Measure(() => new Mlp([(8, 3)]), train, Options, steps: 0));
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => TrainingCost.Measure(() => new Mlp([(8, 3)]), empty, Options)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingCost(0.1, 3, "cpu").Estimate(-1));
    }

    [Fact]
    public void LeavesNoTensorBehindBeyondWhatMakingTheModelLeaves()
    {
        using var train = Toy(64);
        Func<Mlp> create = () => new Mlp([(8, 16), (16, 3)]);
        TrainingCost.Measure(create, train, Options);
        // A module's parameters stay in TorchSharp's count after the module is disposed; Measure must add nothing to that.
        long start = TestSupport.LiveTensorCount();
        using (create()) { }
        long afterModel = TestSupport.LiveTensorCount();
        TrainingCost.Measure(create, train, Options);
        Assert.Equal(afterModel - start, TestSupport.LiveTensorCount() - afterModel);
    }
}
