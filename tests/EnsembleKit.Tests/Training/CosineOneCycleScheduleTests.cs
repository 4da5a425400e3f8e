using EnsembleKit.Training;

namespace EnsembleKit.Tests.Training;

public class CosineOneCycleScheduleTests
{
    [Fact]
    public void WarmsUpAndCoolsDownByCosineInEachPhase()
    {
        var s = new CosineOneCycleSchedule(WarmupFraction: 0.1, InitialRate: 0.001, MinimumRate: 1e-7);
        Assert.True(s.PerStep);
        Assert.Equal(0.001, s.Rate(0, 10, 0.1), 12);
        // halfway through the warm-up: 0.001 + 0.5 * 0.099 * (1 - cos(pi/2))
        Assert.Equal(0.001 + 0.0495, s.Rate(0.5, 10, 0.1), 12);
        Assert.Equal(0.1, s.Rate(1, 10, 0.1), 12);                     // peak at the end of epoch 1 of 10
        Assert.Equal(1e-7 + 0.5 * (0.1 - 1e-7), s.Rate(5.5, 10, 0.1), 12); // halfway through the cool-down
        Assert.Equal(1e-7, s.Rate(10, 10, 0.1), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineOneCycleSchedule(WarmupFraction: 1).Rate(0, 10, 0.1));
    }
}
