using System.Globalization;
using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// SWAG's running statistics of the weight iterates (Maddox et al. 2019), on the CPU, over the parameters flattened into
/// one vector of length P (in the order of the first <see cref="Collect"/>): after n collected iterates θ_1..θ_n,
/// <list type="bullet">
/// <item><see cref="Mean"/> θ̄ = (1/n) Σ θ_i <c>[P]</c> float64;</item>
/// <item><see cref="SquareMean"/> θ²‾ = (1/n) Σ θ_i² <c>[P]</c> float64 (element-wise squares);</item>
/// <item><see cref="Variance"/> Σ_diag = max(θ²‾ − θ̄², 0) <c>[P]</c> float64;</item>
/// <item><see cref="Deviations"/> D̂ <c>[K, P]</c> float32: the last K = min(n, <see cref="Rank"/>) deviations θ_i − θ̄_i, where
/// θ̄_i is the mean right after θ_i joined it (as wjmaddox/swa_gaussian's <c>collect_model</c> does), oldest first.</item>
/// </list>
/// Means are kept in float64 because θ²‾ − θ̄² cancels; the deviations in float32, as the reference keeps them in the
/// parameters' dtype, since they are K times the model's size.
/// </summary>
public sealed class SwagMoments : IDisposable
{
    readonly List<Tensor> deviations = [];
    Tensor? mean, squareMean;
    (string Name, long[] Shape)[]? layout;

    /// <param name="rank">K, the most deviations kept for the low-rank term; 0 keeps none (SWAG-diagonal only). 1 is refused,
    /// since the low-rank term divides by K − 1.</param>
    public SwagMoments(int rank)
    {
        if (rank < 0 || rank == 1)
            throw new ArgumentOutOfRangeException(nameof(rank), $"rank must be 0 (diagonal only) or at least 2; got {rank}.");
        Rank = rank;
        TorchRuntime.EnsureInitialized();
    }

    /// <summary>The most deviations kept (K).</summary>
    public int Rank { get; }

    /// <summary>How many iterates were collected (n).</summary>
    public int Count { get; private set; }

    /// <summary>The parameters' names and shapes, in the order of the flat vector (empty before the first collection).</summary>
    public IReadOnlyList<(string Name, long[] Shape)> Layout => layout ?? [];

    /// <summary>P, the flat vector's length (0 before the first collection).</summary>
    public long ParameterCount => mean is null ? 0 : mean.shape[0];

    /// <summary>θ̄ <c>[P]</c> float64 (owned by this object).</summary>
    public Tensor Mean => mean ?? throw Empty();

    /// <summary>θ²‾ <c>[P]</c> float64 (owned by this object).</summary>
    public Tensor SquareMean => squareMean ?? throw Empty();

    /// <summary>Σ_diag = max(θ²‾ − θ̄², 0) <c>[P]</c> float64 (a new tensor; the caller disposes it).</summary>
    public Tensor Variance()
    {
        using var scope = NewDisposeScope();
        using Scalar zero = 0;
        return (SquareMean - Mean.square()).clamp_min(zero).MoveToOuterDisposeScope();
    }

    /// <summary>D̂ <c>[K, P]</c> float32, oldest deviation first (a new tensor; the caller disposes it). K is 0 when
    /// <see cref="Rank"/> is 0.</summary>
    public Tensor Deviations()
    {
        if (mean is null) throw Empty();
        return deviations.Count == 0 ? zeros(0, mean.shape[0], dtype: ScalarType.Float32) : stack(deviations, 0);
    }

    /// <summary>How many deviations are held, K = min(n, <see cref="Rank"/>).</summary>
    public int DeviationCount => deviations.Count;

    /// <summary>
    /// Adds one iterate: the named parameter values (any device, any float dtype), in the same names and shapes every
    /// time. θ̄ ← (n θ̄ + θ)/(n + 1), θ²‾ ← (n θ²‾ + θ²)/(n + 1), then the deviation θ − θ̄ (with the updated θ̄) joins D̂,
    /// dropping the oldest once there are <see cref="Rank"/>.
    /// </summary>
    public void Collect(IEnumerable<(string Name, Tensor Value)> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.ToList();
        if (list.Count == 0) throw new ArgumentException("no parameters to collect.", nameof(parameters));
        var current = list.Select(p => (p.Name, Shape: p.Value.shape)).ToArray();
        if (layout is null) layout = current;
        else
        {
            if (current.Length != layout.Length)
                throw new ArgumentException($"{current.Length} parameters; the first iterate had {layout.Length}.", nameof(parameters));
            for (int i = 0; i < current.Length; i++)
                if (current[i].Name != layout[i].Name || !current[i].Shape.SequenceEqual(layout[i].Shape))
                    throw new ArgumentException($"parameter {i} is '{current[i].Name}' [{string.Join(", ", current[i].Shape)}]; the first iterate had "
                        + $"'{layout[i].Name}' [{string.Join(", ", layout[i].Shape)}].", nameof(parameters));
        }

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var theta = cat(list.Select(p => p.Value.detach().to(CPU).to(ScalarType.Float64).reshape(-1)).ToList(), 0);
        if (mean is null || squareMean is null)
        {
            mean = theta.clone().DetachFromDisposeScope();
            squareMean = theta.square().DetachFromDisposeScope();
        }
        else
        {
            double n = Count;
            using Scalar keep = n / (n + 1), weight = 1 / (n + 1);
            mean.mul_(keep).add_(theta, alpha: weight);
            squareMean.mul_(keep).add_(theta.square(), alpha: weight);
        }
        Count++;
        if (Rank > 0)
        {
            deviations.Add((theta - mean).to(ScalarType.Float32).DetachFromDisposeScope());
            if (deviations.Count > Rank)
            {
                deviations[0].Dispose();
                deviations.RemoveAt(0);
            }
        }
    }

    /// <summary>
    /// One draw θ <c>[P]</c> float64 from SWAG's Gaussian, following wjmaddox/swa_gaussian's <c>sample_fullrank</c>:
    /// θ = θ̄ + √scale · (Σ_diag^{1/2} ⊙ z₁ + D̂ᵀ z₂ / √(K − 1)), z₁ ~ N(0, I_P), z₂ ~ N(0, I_K), drawn in that order from
    /// <paramref name="generator"/>; with <paramref name="diagonal"/> the low-rank term is left out (SWAG-diagonal). The
    /// covariance is scale · (Σ_diag + D̂ᵀD̂/(K − 1)); the paper's ½ (Σ_diag + D̂ᵀD̂/(K − 1)) is scale = 0.5, the reference's
    /// setting in its experiments. K is the number of deviations held (the reference divides by its maximum, equal once
    /// K iterates were collected).
    /// </summary>
    public Tensor Sample(Generator generator, double scale, bool diagonal)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (!(scale >= 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), $"scale must be finite and non-negative; got {scale}.");
        if (mean is null) throw Empty();
        if (!diagonal && deviations.Count < 2)
            throw new InvalidOperationException($"the low-rank term needs at least 2 deviations; {deviations.Count} held (rank {Rank}, {Count} iterates collected). "
                + "Collect more iterates or sample SWAG-diagonal.");
        using var scope = NewDisposeScope();
        var z1 = randn(mean.shape[0], dtype: ScalarType.Float64, generator: generator);
        var noise = Variance().sqrt() * z1;
        if (!diagonal)
        {
            int k = deviations.Count;
            var z2 = randn(k, dtype: ScalarType.Float64, generator: generator);
            using Scalar sqrtDegrees = Math.Sqrt(k - 1);
            noise = noise + Deviations().to(ScalarType.Float64).t().matmul(z2).div(sqrtDegrees);
        }
        using Scalar sqrtScale = Math.Sqrt(scale);
        return (mean + noise.mul(sqrtScale)).MoveToOuterDisposeScope();
    }

    /// <summary>Splits a flat vector <c>[P]</c> into the named parameter shapes (views of <paramref name="flat"/>).</summary>
    public IReadOnlyList<(string Name, Tensor Value)> Unflatten(Tensor flat)
    {
        if (layout is null) throw Empty();
        if (flat.dim() != 1 || flat.shape[0] != ParameterCount)
            throw new ArgumentException($"expected a flat vector [{ParameterCount}]; got [{string.Join(", ", flat.shape)}].", nameof(flat));
        var parts = new List<(string, Tensor)>();
        long offset = 0;
        foreach (var (name, shape) in layout)
        {
            long size = shape.Aggregate(1L, (a, b) => a * b);
            parts.Add((name, flat.narrow(0, offset, size).view(shape)));
            offset += size;
        }
        return parts;
    }

    static InvalidOperationException Empty() => new("no iterates collected yet.");

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"SWAG moments: {Count} iterates, P = {ParameterCount}, K = {deviations.Count} of rank {Rank}");

    public void Dispose()
    {
        mean?.Dispose();
        squareMean?.Dispose();
        foreach (var d in deviations) d.Dispose();
        deviations.Clear();
        mean = squareMean = null;
    }
}
