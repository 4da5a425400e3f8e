using EnsembleKit.Experiments;
using Xunit;

namespace EnsembleKit.Tests.Experiments;

public sealed class ScaleTests
{
    [Theory]
    [InlineData("smoke", 1)]
    [InlineData("cpu", 20)]
    [InlineData("full", 200)]
    public void PicksTheValueOfItsScale(string name, int epochs)
    {
        var scale = Scale.Parse(name);
        Assert.Equal(epochs, scale.Pick(smoke: 1, cpu: 20, full: 200));
        Assert.Equal(name == "smoke", scale.IsSmoke);
        Assert.Equal(name == "full", scale.IsFull);
        Assert.Equal(name, scale.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("CPU")]
    [InlineData("medium")]
    public void RefusesOtherNamesListingTheThree(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => Scale.Parse(name));
        Assert.Equal("name", e.ParamName);
        Assert.Contains("smoke, cpu or full", e.Message);
        Assert.Contains($"'{name}'", e.Message);
    }

    [Fact]
    public void ADefaultScaleCannotPick() => Assert.Throws<InvalidOperationException>(() => default(Scale).Pick(1, 2, 3));
}
