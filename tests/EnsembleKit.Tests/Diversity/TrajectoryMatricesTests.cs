using EnsembleKit.Diversity;

namespace EnsembleKit.Tests.Diversity;

public class TrajectoryMatricesTests
{
    // Three checkpoints over N = 4 inputs, C = 2 classes. Predictions: a = 0 1 1 0, b = 0 1 0 0, c = 1 0 0 1.
    // Disagreement: a-b 1/4, a-c 4/4, b-c 3/4. Weights: a = (1, 0), b = (1, 1), c = (0, -2):
    // cos(a, b) = 1/√2, cos(a, c) = 0, cos(b, c) = -2/(√2·2) = -1/√2.
    static TrajectoryPoint Point(int epoch, float[] weights, int[] predictions) =>
        new(epoch, weights, predictions, predictions.SelectMany(p => p == 0 ? new[] { 0.75f, 0.25f } : new[] { 0.25f, 0.75f }).ToArray(), 2, 0.5);

    static readonly TrajectoryPoint[] Points =
    [
        Point(0, [1, 0], [0, 1, 1, 0]),
        Point(1, [1, 1], [0, 1, 0, 0]),
        Point(2, [0, -2], [1, 0, 0, 1]),
    ];

    [Fact]
    public void DisagreementMatchesHandCount()
    {
        var d = TrajectoryMatrices.Disagreement(Points);
        Assert.Equal(new double[,] { { 0, 0.25, 1 }, { 0.25, 0, 0.75 }, { 1, 0.75, 0 } }, d);
    }

    [Fact]
    public void WeightCosineMatchesHandValues()
    {
        var c = TrajectoryMatrices.WeightCosine(Points);
        double r = 1 / Math.Sqrt(2);
        double[,] expected = { { 1, r, 0 }, { r, 1, -r }, { 0, -r, 1 } };
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(expected[i, j], c[i, j], 6);
    }

    [Fact]
    public void ProbabilityRowsFlattenEachCheckpoint()
    {
        var rows = TrajectoryMatrices.ProbabilityRows(Points);
        Assert.Equal(3, rows.GetLength(0));
        Assert.Equal(8, rows.GetLength(1));
        // checkpoint c predicts 1, 0, 0, 1
        Assert.Equal(new double[] { 0.25, 0.75, 0.75, 0.25, 0.75, 0.25, 0.25, 0.75 }, Enumerable.Range(0, 8).Select(k => rows[2, k]));
    }

    [Fact]
    public void RejectsPointsFromDifferentTestSets()
    {
        var other = Point(3, [1, 0], [0, 1, 1]);
        var e = Assert.Throws<ArgumentException>(() => TrajectoryMatrices.Disagreement([Points[0], other]));
        Assert.Contains("3 inputs", e.Message);
        Assert.Throws<ArgumentException>(() => TrajectoryMatrices.ProbabilityRows([Points[0], other]));
        Assert.Throws<ArgumentException>(() => TrajectoryMatrices.Disagreement([]));
        Assert.Throws<ArgumentException>(() => TrajectoryMatrices.WeightCosine([Points[0], Point(3, [1, 0, 0], [0, 1, 1, 0])]));
    }
}
