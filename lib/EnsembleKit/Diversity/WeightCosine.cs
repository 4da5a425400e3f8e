using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Diversity;

public static partial class DiversityMetric
{
    /// <summary>
    /// Cosine similarity <c>w_a · w_b / (‖w_a‖ ‖w_b‖)</c> of two models' flattened parameters (seed 001: trainable
    /// weights, biases dropped, each layer flattened and concatenated; <see cref="ParameterVector"/> says what counts as
    /// a bias). The models must have the same architecture: otherwise an <see cref="ArgumentException"/> names the first
    /// parameter that differs. Accumulated in float64. A zero vector has cosine 0 with everything.
    /// </summary>
    public static double WeightCosine(nn.Module a, nn.Module b, bool includeBiases = false)
    {
        var matrix = WeightCosineMatrix([a, b], includeBiases);
        return matrix[0, 1];
    }

    /// <summary>Cosine similarity <c>[M, M]</c> between every pair of models (same architecture), as <see cref="WeightCosine"/>.</summary>
    public static double[,] WeightCosineMatrix(IReadOnlyList<nn.Module> models, bool includeBiases = false)
    {
        TorchRuntime.EnsureInitialized();
        if (models.Count == 0) throw new ArgumentException("no models to compare.", nameof(models));
        for (int m = 1; m < models.Count; m++)
            ParameterVector.RequireSameLayout(models[0], models[m], includeBiases, "0", m.ToString());
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var rows = models.Select(model =>
        {
            var parts = model.named_parameters().Where(p => includeBiases || !ParameterVector.IsBias(p.name))
                .Select(p => p.parameter.detach().to(CPU).to(ScalarType.Float64).flatten()).ToList();
            if (parts.Count == 0) throw new ArgumentException($"the model has no {(includeBiases ? "" : "non-bias ")}parameters to compare.", nameof(models));
            return cat(parts, 0);
        }).ToList();
        return CosineRows(stack(rows, 0));
    }

    /// <summary>
    /// Cosine similarity <c>[M, M]</c> between weight vectors of equal length, e.g. <see cref="TrajectoryRecorder"/>'s
    /// per-epoch <see cref="TrajectoryPoint.Weights"/> (epoch × epoch heat-map of seed 001).
    /// </summary>
    public static double[,] WeightCosineMatrix(IReadOnlyList<float[]> vectors)
    {
        TorchRuntime.EnsureInitialized();
        if (vectors.Count == 0) throw new ArgumentException("no weight vectors to compare.", nameof(vectors));
        int length = vectors[0].Length;
        for (int m = 1; m < vectors.Count; m++)
            if (vectors[m].Length != length)
                throw new ArgumentException($"weight vector {m} has {vectors[m].Length} values but vector 0 has {length}.", nameof(vectors));
        using var scope = NewDisposeScope();
        var rows = stack(vectors.Select(v => tensor(v).to(ScalarType.Float64)).ToList(), 0);
        return CosineRows(rows);
    }

    static double[,] CosineRows(Tensor rows)
    {
        var norms = rows.square().sum(1).sqrt();
        var denominator = norms.unsqueeze(1) * norms.unsqueeze(0);
        using Scalar zero = 0.0, minusOne = -1.0, one = 1.0;
        var cos = rows.matmul(rows.t()) / where(denominator.eq(zero), ones_like(denominator), denominator);
        return HostMatrix.Of(cos.clamp(minusOne, one));
    }
}
