using System.Globalization;
using EnsembleKit.Data;
using EnsembleKit.Metrics;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// The KFAC-Laplace posterior (<see cref="KfacLaplace.Fit"/>): independent Gaussians over each <c>nn.Linear</c> or <c>nn.Conv2d</c> layer's
/// augmented weights W̄_l <c>[O, Q]</c> (parameters row-major, output outer, input inner; <see cref="KfacFactors"/>), centred
/// on W̄_MAP. The layer's precision N·(G_l ⊗ A_l) + τ I is replaced, as Ritter et al. (2018, Section 3) do, by a Kronecker
/// product with the prior added to each factor,
/// <c>P_l = (√N G_l + √τ I) ⊗ (√N A_l + √τ I) = N G⊗A + √(Nτ)(G⊗I + I⊗A) + τ I</c>, with N = <see cref="DatasetSize"/>
/// and τ = <see cref="PriorPrecision"/>. So the covariance is <c>Σ_l = (√N G + √τ I)⁻¹ ⊗ (√N A + √τ I)⁻¹</c>, a matrix normal
/// MN(W̄_MAP, U = (√N G + √τ I)⁻¹, V = (√N A + √τ I)⁻¹). With the Cholesky factors
/// <c>√N G + √τ I = L_G L_Gᵀ</c> and <c>√N A + √τ I = L_A L_Aᵀ</c>, a draw is
/// <c>W̄ = W̄_MAP + L_G⁻ᵀ E L_A⁻¹</c>, E <c>[O, Q]</c> standard normal: vec_row(L_G⁻ᵀ E L_A⁻¹) has covariance
/// (L_G⁻ᵀ L_G⁻¹) ⊗ (L_A⁻ᵀ L_A⁻¹) = U ⊗ V. Owns its factors (CPU, float64); uses the model without owning it.
/// </summary>
public sealed class KfacLaplacePosterior : IDisposable
{
    readonly KfacNetwork network;
    readonly List<KfacFactors> layers;
    double priorPrecision, datasetSize;
    (double Prior, double Size, List<(Tensor Left, Tensor Right)> Factors)? cache;

    internal KfacLaplacePosterior(KfacNetwork network, List<KfacFactors> layers, KfacCurvature curvature, long trainCount, double priorPrecision, double datasetSize)
    {
        this.network = network;
        this.layers = layers;
        Curvature = curvature;
        TrainCount = trainCount;
        PriorPrecision = priorPrecision;
        DatasetSize = datasetSize;
    }

    public KfacCurvature Curvature { get; }
    /// <summary>The training rows the factors were averaged over.</summary>
    public long TrainCount { get; }
    /// <summary>The model whose layers this covers (not owned).</summary>
    public nn.Module<Tensor, Tensor> Model => network.Model;
    /// <summary>One entry per covered layer (<c>nn.Linear</c>, <c>nn.Conv2d</c>), in the order the network runs them.</summary>
    public IReadOnlyList<KfacFactors> Layers => layers;

    /// <summary>τ, the precision of the isotropic Gaussian prior N(0, τ⁻¹ I) on all weights.</summary>
    public double PriorPrecision
    {
        get => priorPrecision;
        set => priorPrecision = CheckPositive(value, nameof(PriorPrecision), "prior precision");
    }

    /// <summary>N, the multiplier of the expected curvature (the dataset size in the paper; default the training rows).
    /// Ritter et al. treat it, like τ, as a hyper-parameter: a smaller N widens the posterior.</summary>
    public double DatasetSize
    {
        get => datasetSize;
        set => datasetSize = CheckPositive(value, nameof(DatasetSize), "dataset size");
    }

    internal static double CheckPositive(double value, string name, string what)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, $"{what} must be positive and finite; got {value.ToString(CultureInfo.InvariantCulture)}.");
        return value;
    }

    /// <summary>
    /// One draw of every layer's W̄ <c>[O, Q]</c> float64 (in <see cref="Layers"/> order; the caller disposes them), from one
    /// CPU generator seeded <paramref name="seed"/>, at τ = <paramref name="prior"/> and N = <paramref name="datasetSize"/>
    /// (defaults: <see cref="PriorPrecision"/>, <see cref="DatasetSize"/>).
    /// </summary>
    public IReadOnlyList<Tensor> SampleWeights(long seed, double? prior = null, double? datasetSize = null)
    {
        var factors = SamplingFactors(CheckPositive(prior ?? priorPrecision, nameof(prior), "prior precision"),
            CheckPositive(datasetSize ?? this.datasetSize, nameof(datasetSize), "dataset size"));
        using var generator = new Generator((ulong)seed, CPU);
        using var scope = NewDisposeScope();
        var draws = new List<Tensor>();
        for (int l = 0; l < layers.Count; l++)
        {
            var e = randn(layers[l].Map.shape, dtype: ScalarType.Float64, generator: generator);
            draws.Add(layers[l].Map + factors[l].Left.matmul(e).matmul(factors[l].Right));
        }
        foreach (var d in draws) d.MoveToOuterDisposeScope();
        return draws;
    }

    /// <summary>L_G⁻ᵀ and L_A⁻¹ per layer for (τ, N), kept for the last pair asked for.</summary>
    List<(Tensor Left, Tensor Right)> SamplingFactors(double prior, double size)
    {
        if (cache is { } c && c.Prior == prior && c.Size == size) return c.Factors;
        DropCache();
        using var scope = NewDisposeScope();
        var factors = new List<(Tensor Left, Tensor Right)>();
        foreach (var layer in layers)
        {
            var left = InverseCholesky(layer.G, prior, size).t().contiguous();
            var right = InverseCholesky(layer.A, prior, size);
            factors.Add((left.DetachFromDisposeScope(), right.DetachFromDisposeScope()));
        }
        cache = (prior, size, factors);
        return factors;
    }

    /// <summary>L⁻¹ for √N F + √τ I = L Lᵀ.</summary>
    static Tensor InverseCholesky(Tensor factor, double prior, double size)
    {
        var identity = eye(factor.shape[0], dtype: ScalarType.Float64);
        using Scalar sqrtSize = Math.Sqrt(size), sqrtPrior = Math.Sqrt(prior);
        var lower = linalg.cholesky(factor.mul(sqrtSize) + identity.mul(sqrtPrior));
        return linalg.solve_triangular(lower, identity, upper: false);
    }

    void DropCache()
    {
        if (cache is not { } c) return;
        foreach (var (left, right) in c.Factors)
        {
            left.Dispose();
            right.Dispose();
        }
        cache = null;
    }

    /// <summary>Member logits <c>[M, N, C]</c>: member s is the model holding draw <c>seed + s</c> at (τ, N). The model's
    /// weights are put back exactly afterwards.</summary>
    internal Tensor MemberLogits(TensorDataset data, int count, long seed, double prior, double size, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var saved = network.Save();
        try
        {
            var parts = new List<Tensor>();
            for (int s = 0; s < count; s++)
            {
                using var inner = NewDisposeScope();
                network.Load(SampleWeights(seed + s, prior, size));
                parts.Add(Predict.Logits(Model, data, batchSize).MoveToOuterDisposeScope());
            }
            return stack(parts, 0).MoveToOuterDisposeScope();
        }
        finally
        {
            network.Restore(saved);
        }
    }

    /// <summary>
    /// Chooses τ on <paramref name="validation"/>: for each value of <paramref name="grid"/> (default
    /// <see cref="PriorPrecisionSearch.DefaultGrid"/>, 21 values 1e-4..1e4) the NLL of the mean probabilities of
    /// <paramref name="samples"/> draws (seeds <c>seed + s</c>, the same at every τ) at the current N, then sets
    /// <see cref="PriorPrecision"/> to the value with the lowest NLL (the first on ties) and returns the search.
    /// </summary>
    public PriorPrecisionSearch TunePriorPrecision(TensorDataset validation, int samples = 10, long seed = 0, IReadOnlyList<double>? grid = null, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"samples must be positive; got {samples}.");
        grid ??= PriorPrecisionSearch.DefaultGrid;
        if (grid.Count == 0) throw new ArgumentException("the prior-precision grid is empty.", nameof(grid));
        foreach (var value in grid)
            if (!(value > 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(grid), $"prior precisions must be positive and finite; the grid holds {value.ToString(CultureInfo.InvariantCulture)}.");
        var nll = new List<double>();
        using var targets = validation.Targets.to(CPU);
        foreach (var value in grid)
        {
            using var scope = NewDisposeScope();
            var probs = Combine.Probabilities(MemberLogits(validation, samples, seed, value, datasetSize, batchSize).to(CPU), CombinationRule.MeanProbabilities);
            nll.Add(Metric.NegativeLogLikelihood(probs, targets));
        }
        int best = 0;
        for (int i = 1; i < nll.Count; i++) if (nll[i] < nll[best]) best = i;
        PriorPrecision = grid[best];
        return new PriorPrecisionSearch(grid.ToArray(), nll, grid[best]);
    }

    /// <summary>
    /// <paramref name="samples"/> draws as an <see cref="IEnsemble"/> (method "KFAC-Laplace"): member s is the network with
    /// the weights of draw <c>seed + s</c>, at the posterior's current τ and N (fixed when the ensemble is made). It uses this
    /// posterior and the model; dispose it before them.
    /// </summary>
    public KfacLaplaceEnsemble ToEnsemble(int samples, long seed = 0, CombinationRule rule = CombinationRule.MeanProbabilities)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"samples must be positive; got {samples}.");
        return new KfacLaplaceEnsemble(this, samples, seed, PriorPrecision, DatasetSize, rule);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"KFAC-Laplace ({Curvature}): {layers.Count} layers, N = {DatasetSize:G6}, τ = {PriorPrecision:G4}");

    public void Dispose()
    {
        DropCache();
        foreach (var layer in layers) layer.Dispose();
        layers.Clear();
    }
}
