using EnsembleKit.Plotting;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Plotting;

public sealed class SoftTargetTablesTests
{
    [Fact]
    public void SoftmaxAtOneAndAtTheTemperatureByHand()
    {
        // logits (ln 3, 0): softmax (0.75, 0.25); at T = 2 (ln √3, 0): √3 / (√3 + 1) = 0.6340
        using var logits = tensor(new[] { (float)Math.Log(3), 0f }, new long[] { 1, 2 });
        var frame = Tables.SoftTargets(logits, label: 1, ["cat", "dog"], temperature: 2);
        Assert.Equal(["Class", "Label", "TeacherAtT1", "TeacherAtT2"], frame.Columns.Select(c => c.Name));
        Assert.Equal(["cat", "dog"], frame.Columns["Class"].Cast<string>());
        Assert.Equal([0.0, 1.0], frame.Columns["Label"].Cast<double>());
        Assert.Equal([0.75, 0.25], frame.Columns["TeacherAtT1"].Cast<double>());
        Assert.Equal([0.634, 0.366], frame.Columns["TeacherAtT2"].Cast<double>());
    }

    [Fact]
    public void BadInputIsRefused()
    {
        using var logits = zeros(1, 2);
        using var two = zeros(2, 2);
        Assert.Contains("[1, 2]", Assert.Throws<ArgumentException>(() => Tables.SoftTargets(two, 0, ["a", "b"], 3)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tables.SoftTargets(logits, 2, ["a", "b"], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tables.SoftTargets(logits, 0, ["a", "b"], 0));
    }
}
