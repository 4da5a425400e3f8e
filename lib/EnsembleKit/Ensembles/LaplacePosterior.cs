using System.Globalization;
using EnsembleKit.Data;
using EnsembleKit.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// Last-layer Laplace's Gaussian over the head's weights (<see cref="LastLayerLaplace"/>): mean W_MAP <c>[C, Q]</c>
/// (the trained weight with the bias as column Q = D + 1, or Q = D without bias) and precision P = H + λ I, where H is the
/// GGN of the summed cross-entropy over the N training rows (<see cref="HessianKind"/>) and λ the prior precision. Shapes
/// and conventions: parameters row-major (class c outer, input d inner), a = [φ(x); 1] the head's input <c>[Q]</c>.
/// <list type="bullet">
/// <item>Diagonal: Σ = diag(1/(H[c, d] + λ)).</item>
/// <item>KFAC: with G = U_G diag(g) U_Gᵀ and A = U_A diag(α) U_Aᵀ, P = (U_G ⊗ U_A) diag(g_i α_j / N + λ) (U_G ⊗ U_A)ᵀ, so a draw is
/// W = W_MAP + U_G (S ⊙ Z) U_Aᵀ with S[i, j] = (g_i α_j / N + λ)^(−1/2), Z ~ N(0, I) <c>[C, Q]</c>.</item>
/// </list>
/// The logit covariance for an input is Σ_f = J Σ Jᵀ with J = I_C ⊗ aᵀ; its diagonal (<see cref="LogitVariance"/>) is
/// <c>Σ_d a_d² Σ[c, d]</c> (diagonal) or <c>Σ_i U_G[c, i]² Σ_j S[i, j]² (U_Aᵀ a)_j²</c> (KFAC).
/// Holds its tensors on the CPU in float64 and owns them; it uses the model (to compute features) but does not own it.
/// </summary>
public sealed class LaplacePosterior : IDisposable
{
    readonly LastLayerFeatures features;
    readonly Tensor map;
    readonly Tensor? diagonalGgn, kfacA, kfacG, aVectors, aValues, gVectors, gValues;
    double priorPrecision;

    internal LaplacePosterior(LastLayerFeatures features, Tensor map, bool hasBias, HessianKind kind, long trainCount,
        Tensor? diagonalGgn, Tensor? kfacA, Tensor? kfacG, double priorPrecision)
    {
        this.features = features;
        this.map = map;
        HasBias = hasBias;
        Kind = kind;
        TrainCount = trainCount;
        this.diagonalGgn = diagonalGgn;
        this.kfacA = kfacA;
        this.kfacG = kfacG;
        if (kind == HessianKind.Kfac)
        {
            // Symmetric eigendecompositions, once: every λ reuses them. Owned here, whatever scope the caller is in.
            (aValues, aVectors) = linalg.eigh(kfacA!);
            (gValues, gVectors) = linalg.eigh(kfacG!);
            foreach (var t in new[] { aValues, aVectors, gValues, gVectors }) t.DetachFromDisposeScope();
            using Scalar zero = 0;
            aValues.clamp_min_(zero); // round-off can leave tiny negative eigenvalues of these PSD sums
            gValues.clamp_min_(zero);
        }
        PriorPrecision = priorPrecision;
    }

    public HessianKind Kind { get; }
    /// <summary>N, the training rows the curvature was summed over.</summary>
    public long TrainCount { get; }
    /// <summary>Whether the head has a bias (then Q = D + 1).</summary>
    public bool HasBias { get; }
    /// <summary>The model whose head this is (not owned).</summary>
    public nn.Module<Tensor, Tensor> Model => features.Model;
    /// <summary>The head's name in the model's state ("" when the model is the head).</summary>
    public string HeadName => features.HeadName;
    public int Classes => (int)map.shape[0];
    /// <summary>Q: the head's inputs, plus one for the bias.</summary>
    public int InputSize => (int)map.shape[1];

    /// <summary>W_MAP <c>[C, Q]</c> float64 (owned by the posterior).</summary>
    public Tensor Map => map;
    /// <summary>The diagonal GGN <c>[C, Q]</c> float64 (only for <see cref="HessianKind.Diagonal"/>).</summary>
    public Tensor DiagonalGgn => diagonalGgn ?? throw new InvalidOperationException($"a {Kind} posterior has no diagonal GGN.");
    /// <summary>KFAC's A = Σ_n a_n a_nᵀ <c>[Q, Q]</c> float64 (only for <see cref="HessianKind.Kfac"/>).</summary>
    public Tensor KfacA => kfacA ?? throw new InvalidOperationException($"a {Kind} posterior has no KFAC factors.");
    /// <summary>KFAC's G = Σ_n (diag p_n − p_n p_nᵀ) <c>[C, C]</c> float64 (only for <see cref="HessianKind.Kfac"/>).</summary>
    public Tensor KfacG => kfacG ?? throw new InvalidOperationException($"a {Kind} posterior has no KFAC factors.");

    /// <summary>λ, the precision of the isotropic Gaussian prior N(0, λ⁻¹ I) on the head's weights.</summary>
    public double PriorPrecision
    {
        get => priorPrecision;
        set
        {
            if (!(value > 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(PriorPrecision), $"prior precision must be positive and finite; got {value}.");
            priorPrecision = value;
        }
    }

    /// <summary>The head's inputs a <c>[N, Q]</c> float64 on the CPU (features with a column of ones when the head has a bias).</summary>
    public Tensor Features(TensorDataset data, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var (phi, _) = features.Run(data.Inputs, batchSize);
        return Augment(phi, HasBias).MoveToOuterDisposeScope();
    }

    internal static Tensor Augment(Tensor phi, bool hasBias) =>
        hasBias ? cat([phi, ones(phi.shape[0], 1, dtype: ScalarType.Float64)], 1) : phi.alias();

    /// <summary>The posterior's standard deviations in the eigenbasis <c>[C, Q]</c>: 1/√(H + λ) (diagonal) or S (KFAC).</summary>
    Tensor Scales(double? prior)
    {
        double lambda = Lambda(prior);
        using var scope = NewDisposeScope();
        using Scalar priorTerm = lambda, rows = TrainCount;
        var precision = Kind == HessianKind.Diagonal
            ? diagonalGgn!.add(priorTerm)
            : (gValues!.unsqueeze(1) * aValues!.unsqueeze(0)).div(rows).add(priorTerm);
        return precision.rsqrt().MoveToOuterDisposeScope();
    }

    /// <summary>One weight draw <c>[C, Q]</c> float64 from N(W_MAP, Σ), using a CPU generator seeded <paramref name="seed"/>;
    /// Σ at prior precision <paramref name="prior"/> (default <see cref="PriorPrecision"/>).</summary>
    public Tensor SampleWeights(long seed, double? prior = null)
    {
        using var generator = new Generator((ulong)seed, CPU);
        using var scope = NewDisposeScope();
        var z = randn(map.shape, dtype: ScalarType.Float64, generator: generator) * Scales(prior);
        var delta = Kind == HessianKind.Diagonal ? z : gVectors!.matmul(z).matmul(aVectors!.t());
        return (map + delta).MoveToOuterDisposeScope();
    }

    /// <summary>The logits' mean μ = a W_MAPᵀ <c>[N, C]</c> and variance diag Σ_f <c>[N, C]</c> (float64) for head inputs
    /// <paramref name="inputs"/> <c>[N, Q]</c> (<see cref="Features"/>), at prior precision <paramref name="prior"/> (default
    /// <see cref="PriorPrecision"/>).</summary>
    public (Tensor Mean, Tensor Variance) LogitMoments(Tensor inputs, double? prior = null)
    {
        RequireInputs(inputs);
        using var scope = NewDisposeScope();
        var a = inputs.to(ScalarType.Float64);
        var mean = a.matmul(map.t());
        var s2 = Scales(prior).square();
        var variance = Kind == HessianKind.Diagonal
            ? a.square().matmul(s2.t())
            : a.matmul(aVectors!).square().matmul(s2.t()).matmul(gVectors!.square().t());
        return (mean.MoveToOuterDisposeScope(), variance.MoveToOuterDisposeScope());
    }

    /// <summary>diag Σ_f <c>[N, C]</c> float64 for head inputs <c>[N, Q]</c>.</summary>
    public Tensor LogitVariance(Tensor inputs, double? prior = null)
    {
        var (mean, variance) = LogitMoments(inputs, prior);
        mean.Dispose();
        return variance;
    }

    /// <summary>Member logits <c>[M, N, C]</c> float32 for head inputs <c>[N, Q]</c>: M = <paramref name="samples"/> draws
    /// (seeds <c>seed + s</c>) for Monte Carlo, or M = 1 holding log softmax(μ / √(1 + π/8 · diag Σ_f)) for probit; at prior
    /// precision <paramref name="prior"/> (default <see cref="PriorPrecision"/>).</summary>
    public Tensor PredictiveLogits(Tensor inputs, LaplacePredictive predictive, int samples = 30, long seed = 0, double? prior = null)
    {
        RequireInputs(inputs);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"samples must be positive; got {samples}.");
        using var scope = NewDisposeScope();
        var a = inputs.to(ScalarType.Float64);
        Tensor result;
        switch (predictive)
        {
            case LaplacePredictive.Probit:
                {
                    var (mean, variance) = LogitMoments(a, prior);
                    using Scalar one = 1, probitScale = Math.PI / 8;
                    result = nn.functional.log_softmax(mean / variance.mul(probitScale).add(one).sqrt(), 1).unsqueeze(0);
                    break;
                }
            case LaplacePredictive.MonteCarlo:
                result = stack(Enumerable.Range(0, samples).Select(s => a.matmul(SampleWeights(seed + s, prior).t())).ToList(), 0);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(predictive), $"unknown predictive {predictive}.");
        }
        return result.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Chooses λ on <paramref name="validation"/>: for each value of <paramref name="grid"/> (default
    /// <see cref="PriorPrecisionSearch.DefaultGrid"/>, 21 values 1e-4..1e4) the NLL of the predictive's combined
    /// probabilities (<see cref="CombinationRule.MeanProbabilities"/>; Monte Carlo uses the same seeds at every λ), then
    /// sets <see cref="PriorPrecision"/> to the value with the lowest NLL (the first on ties) and returns the search.
    /// </summary>
    public PriorPrecisionSearch TunePriorPrecision(TensorDataset validation, LaplacePredictive predictive, int samples = 30, long seed = 0,
        IReadOnlyList<double>? grid = null, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(validation);
        grid ??= PriorPrecisionSearch.DefaultGrid;
        if (grid.Count == 0) throw new ArgumentException("the prior-precision grid is empty.", nameof(grid));
        foreach (var value in grid)
            if (!(value > 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(grid), $"prior precisions must be positive and finite; the grid holds {value}.");
        using var scope = NewDisposeScope();
        var inputs = Features(validation, batchSize);
        var nll = new List<double>();
        foreach (var value in grid)
        {
            PriorPrecision = value;
            using var inner = NewDisposeScope();
            var probs = Combine.Probabilities(PredictiveLogits(inputs, predictive, samples, seed), CombinationRule.MeanProbabilities);
            nll.Add(Metric.NegativeLogLikelihood(probs, validation.Targets.to(CPU)));
        }
        int best = 0;
        for (int i = 1; i < nll.Count; i++) if (nll[i] < nll[best]) best = i;
        PriorPrecision = grid[best];
        return new PriorPrecisionSearch(grid.ToArray(), nll, grid[best]);
    }

    /// <summary>
    /// The predictive as an <see cref="IEnsemble"/>: Monte Carlo with <paramref name="samples"/> members (draw s seeded
    /// <c>seed + s</c>), or probit with one. It uses this posterior (at its current λ, fixed when the ensemble is made) and
    /// the model; dispose it before them.
    /// </summary>
    public LaplaceEnsemble ToEnsemble(LaplacePredictive predictive, int samples = 30, long seed = 0, CombinationRule rule = CombinationRule.MeanProbabilities)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"samples must be positive; got {samples}.");
        return new LaplaceEnsemble(this, predictive, predictive == LaplacePredictive.Probit ? 1 : samples, seed, PriorPrecision, rule);
    }

    internal LastLayerFeatures Head => features;

    double Lambda(double? prior)
    {
        double value = prior ?? priorPrecision;
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(nameof(prior), $"prior precision must be positive and finite; got {value}.");
        return value;
    }

    void RequireInputs(Tensor inputs)
    {
        if (inputs.dim() != 2 || inputs.shape[1] != InputSize)
            throw new ArgumentException($"head inputs must be [N, {InputSize}]; got [{string.Join(", ", inputs.shape)}].", nameof(inputs));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"last-layer Laplace ({Kind}): W [{Classes}, {InputSize}], N = {TrainCount}, λ = {PriorPrecision:G4}");

    public void Dispose()
    {
        foreach (var t in new[] { map, diagonalGgn, kfacA, kfacG, aVectors, aValues, gVectors, gValues }) t?.Dispose();
    }
}
