using EnsembleKit.Metrics;

namespace EnsembleKit.Tests.Metrics;

public class SampleStatisticsTests
{
    [Fact]
    public void MeanAndSampleStandardDeviationByHand()
    {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32, / 7 -> std sqrt(32 / 7).
        var (mean, std) = SampleStatistics.MeanAndStd([2, 4, 4, 4, 5, 5, 7, 9]);
        Assert.Equal(5.0, mean, 12);
        Assert.Equal(Math.Sqrt(32.0 / 7), std, 12);
        Assert.Equal((3.5, 0.0), SampleStatistics.MeanAndStd([3.5]));
        Assert.Equal(Math.Sqrt(32.0 / 7) / Math.Sqrt(8), SampleStatistics.StandardError([2, 4, 4, 4, 5, 5, 7, 9]), 12);
        Assert.True(double.IsNaN(SampleStatistics.StandardError([1.0])));
    }

    [Fact]
    public void PearsonByHand()
    {
        // x = 1, 2, 3; y = 2, 4, 5: deviations (-1, 0, 1) and (-5/3, 1/3, 4/3); sxy = 3, sxx = 2, syy = 42/9 -> 3 / sqrt(2 * 42 / 9).
        Assert.Equal(3 / Math.Sqrt(2 * 42.0 / 9), SampleStatistics.Pearson([1, 2, 3], [2, 4, 5]), 12);
        Assert.Equal(-1.0, SampleStatistics.Pearson([1, 2, 3], [6, 4, 2]), 12);
        Assert.True(double.IsNaN(SampleStatistics.Pearson([1, 2, 3], [7, 7, 7])));
    }

    [Fact]
    public void RefusesWhatItCannotSummarise()
    {
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => SampleStatistics.MeanAndStd([])).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => SampleStatistics.StandardError([])).ParamName);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => SampleStatistics.MeanAndStd([1, double.NaN])).Message);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => SampleStatistics.Pearson([1, 2], [1, 2, 3])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => SampleStatistics.Pearson([1], [1])).ParamName);
    }
}
