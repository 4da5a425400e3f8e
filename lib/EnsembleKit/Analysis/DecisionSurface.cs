using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Analysis;

/// <summary>
/// A classifier of 2-D inputs evaluated on a regular grid over the plane, for decision-boundary plots (seed 002 §4.3.1,
/// the spiral experiment). <see cref="Probability"/>[i, j] is the probability of class <see cref="ClassIndex"/> at the
/// point (<see cref="X"/>[j], <see cref="Y"/>[i]): rows follow y, columns follow x, both ascending.
/// </summary>
public sealed record DecisionSurface(IReadOnlyList<double> X, IReadOnlyList<double> Y, double[,] Probability, int ClassIndex)
{
    /// <summary>
    /// The softmax probability of <paramref name="classIndex"/> for <paramref name="model"/> (inputs <c>[B, 2]</c> float32,
    /// logits <c>[B, C]</c>) at <paramref name="resolution"/> × <paramref name="resolution"/> points spanning the ranges
    /// (end points included).
    /// </summary>
    public static DecisionSurface Evaluate(nn.Module<Tensor, Tensor> model, (double Min, double Max) xRange, (double Min, double Max) yRange,
        int resolution = 100, int classIndex = 1) =>
        Evaluate([model], CombinationRule.MeanProbabilities, xRange, yRange, resolution, classIndex);

    /// <summary>The same for an ensemble: members' logits combined by <paramref name="rule"/> (<see cref="Combine.Probabilities"/>).</summary>
    public static DecisionSurface Evaluate(IEnumerable<nn.Module<Tensor, Tensor>> members, CombinationRule rule,
        (double Min, double Max) xRange, (double Min, double Max) yRange, int resolution = 100, int classIndex = 1)
    {
        TorchRuntime.EnsureInitialized();
        var list = members.ToList();
        if (list.Count == 0) throw new ArgumentException("no model to evaluate.", nameof(members));
        if (resolution < 2) throw new ArgumentOutOfRangeException(nameof(resolution), $"the grid needs at least 2 points a side; got {resolution}.");
        CheckRange(xRange, nameof(xRange));
        CheckRange(yRange, nameof(yRange));
        var xs = Axis(xRange, resolution);
        var ys = Axis(yRange, resolution);
        using var scope = NewDisposeScope();
        // row-major points: row i = y[i], column j = x[j]
        var points = new float[resolution * resolution * 2];
        for (int i = 0; i < resolution; i++)
            for (int j = 0; j < resolution; j++)
            {
                points[2 * (i * resolution + j)] = (float)xs[j];
                points[2 * (i * resolution + j) + 1] = (float)ys[i];
            }
        var device = ModelDevice.Of(list[0]);
        var inputs = tensor(points, [resolution * resolution, 2]).to(device);
        var logits = stack(list.Select(m => Predict.Logits(m, inputs)).ToList(), 0);    // [M, P, C]
        long classes = logits.shape[2];
        if (classIndex < 0 || classIndex >= classes)
            throw new ArgumentOutOfRangeException(nameof(classIndex), $"class index must be in [0, {classes}); got {classIndex}.");
        var p = Combine.Probabilities(logits, rule).select(1, classIndex).to(ScalarType.Float64).cpu().data<double>().ToArray();
        var grid = new double[resolution, resolution];
        for (int i = 0; i < resolution; i++)
            for (int j = 0; j < resolution; j++) grid[i, j] = p[i * resolution + j];
        return new DecisionSurface(xs, ys, grid, classIndex);
    }

    /// <summary>The bounding box of <paramref name="data"/>'s 2-D inputs, widened by <paramref name="margin"/> of its size on each side.</summary>
    public static ((double Min, double Max) X, (double Min, double Max) Y) Bounds(TensorDataset data, double margin = 0.1)
    {
        if (data.Inputs.dim() != 2 || data.Inputs.shape[1] != 2)
            throw new ArgumentException($"decision surfaces need 2-D inputs [N, 2]; got [{string.Join(", ", data.Inputs.shape)}].", nameof(data));
        using var scope = NewDisposeScope();
        var x = data.Inputs.to(ScalarType.Float64).cpu();
        double x0 = x.select(1, 0).min().item<double>(), x1 = x.select(1, 0).max().item<double>();
        double y0 = x.select(1, 1).min().item<double>(), y1 = x.select(1, 1).max().item<double>();
        double dx = (x1 - x0) * margin, dy = (y1 - y0) * margin;
        return ((x0 - dx, x1 + dx), (y0 - dy, y1 + dy));
    }

    static double[] Axis((double Min, double Max) range, int n) =>
        Enumerable.Range(0, n).Select(k => range.Min + (range.Max - range.Min) * k / (n - 1)).ToArray();

    static void CheckRange((double Min, double Max) range, string name)
    {
        if (!double.IsFinite(range.Min) || !double.IsFinite(range.Max) || !(range.Max > range.Min))
            throw new ArgumentOutOfRangeException(name, $"a range must be finite with Max > Min; got ({range.Min}, {range.Max}).");
    }
}
