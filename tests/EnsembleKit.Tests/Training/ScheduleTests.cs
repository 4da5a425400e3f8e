using EnsembleKit.Training;

namespace EnsembleKit.Tests.Training;

/// <summary>Each schedule at points worked out by hand from its paper's formula.</summary>
public class ScheduleTests
{
    [Fact]
    public void CyclicCosineRestartsEveryCycle()
    {
        var s = new CyclicCosineSchedule(Cycles: 4);          // 20 epochs -> cycles of 5
        Assert.Equal(0.2, s.Rate(0, 20, 0.2), 15);             // a0 at each restart
        Assert.Equal(0.2, s.Rate(5, 20, 0.2), 15);
        Assert.Equal(0.1, s.Rate(2.5, 20, 0.2), 15);           // half way: a0/2 (cos(pi/2) + 1)
        Assert.Equal(0.1 * (Math.Cos(Math.PI * 4.9 / 5) + 1), s.Rate(9.9, 20, 0.2), 12);
        Assert.Equal(0.01 + 0.19 / 2, new CyclicCosineSchedule(4, 0.01).Rate(12.5, 20, 0.2), 12);
        Assert.True(s.PerStep);
    }

    [Fact]
    public void TriangularGoesDownToTheLowRateAtMidCycleAndBack()
    {
        var s = new TriangularCyclicSchedule(HighRate: 0.05, LowRate: 0.001, CycleEpochs: 4);
        Assert.Equal(0.05, s.Rate(0, 100, 1), 15);
        Assert.Equal(0.001, s.Rate(2, 100, 1), 15);
        Assert.Equal((1 - 0.5) * 0.05 + 0.5 * 0.001, s.Rate(1, 100, 1), 15);     // t = 1/4
        Assert.Equal((2 - 1.5) * 0.001 + (1.5 - 1) * 0.05, s.Rate(3, 100, 1), 15); // t = 3/4
        Assert.Equal(0.05, s.Rate(4, 100, 1), 15);
    }

    [Fact]
    public void StepDecayDropsAtMilestones()
    {
        var s = new StepDecaySchedule(0.1, 0.5, 0.75);
        Assert.Equal(0.1, s.Rate(49, 100, 0.1), 15);
        Assert.Equal(0.01, s.Rate(50, 100, 0.1), 15);
        Assert.Equal(0.001, s.Rate(75, 100, 0.1), 15);
    }

    [Fact]
    public void OneCycleWarmsUpThenDecays()
    {
        var s = new OneCycleSchedule(WarmupFraction: 0.25, DivFactor: 10, FinalDivFactor: 100);
        Assert.Equal(0.01, s.Rate(0, 8, 0.1), 15);
        Assert.Equal(0.1, s.Rate(2, 8, 0.1), 15);
        Assert.Equal(0.055, s.Rate(1, 8, 0.1), 15);
        Assert.Equal(0.001, s.Rate(8, 8, 0.1), 15);
        Assert.Equal(0.1 + (0.001 - 0.1) * (0.5 - 0.25) / 0.75, s.Rate(4, 8, 0.1), 15);
    }

    [Fact]
    public void SwaScheduleMatchesIzmailov()
    {
        var s = new SwaSchedule(SwaRate: 0.01, SwaStartFraction: 0.8); // 10 epochs: start at epoch 8
        Assert.Equal(0.1, s.Rate(4, 10, 0.1), 15);                      // t = epoch/8 = 0.5
        Assert.Equal(0.1 * (1 - 0.9 * 0.25 / 0.4), s.Rate(6, 10, 0.1), 12); // t = 0.75
        Assert.Equal(0.01, s.Rate(8, 10, 0.1), 15);
        Assert.Equal(8, s.StartEpoch(10));
    }
}
