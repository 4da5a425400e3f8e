using EnsembleKit.Backend;
using EnsembleKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// Last-layer Laplace (MacKay 1992; Daxberger et al. 2021, "Laplace Redux"): a Gaussian over the weights and bias of the
/// model's last <c>nn.Linear</c> (the head), centred on the trained weights (the MAP), with precision the generalised
/// Gauss-Newton of the summed softmax cross-entropy over the training set plus a prior precision λ I
/// (<see cref="LaplacePosterior"/>, <see cref="HessianKind"/>). The rest of the network stays fixed, so the features are
/// computed once and no batch-norm statistics change.
/// </summary>
public static class LastLayerLaplace
{
    /// <summary>
    /// Fits the posterior over <paramref name="model"/>'s last <c>nn.Linear</c> on every row of <paramref name="train"/>
    /// (eval mode). With W_aug <c>[C, Q]</c> the MAP, a_n <c>[Q]</c> the head inputs (features and a 1 for the bias) and
    /// p_n = softmax(W_aug a_n): diagonal <c>H[c, d] = Σ_n p_nc(1 − p_nc) a_nd²</c>; KFAC <c>A = Σ_n a_n a_nᵀ</c>,
    /// <c>G = Σ_n diag(p_n) − p_n p_nᵀ</c>, H ≈ G ⊗ A / N. The model's output must be the head's output (checked).
    /// </summary>
    public static LaplacePosterior Fit(nn.Module<Tensor, Tensor> model, TensorDataset train, HessianKind kind, double priorPrecision = 1.0, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), $"unknown Hessian kind {kind}.");
        if (!(priorPrecision > 0) || double.IsInfinity(priorPrecision))
            throw new ArgumentOutOfRangeException(nameof(priorPrecision), $"prior precision must be positive and finite; got {priorPrecision}.");
        if (train.Count == 0) throw new ArgumentException("the training set is empty.", nameof(train));
        TorchRuntime.EnsureInitialized();
        var head = new LastLayerFeatures(model);
        bool hasBias = head.Head.bias is not null;
        using var scope = NewDisposeScope();
        Tensor map;
        using (no_grad())
        {
            var weight = head.Head.weight!.detach().to(CPU).to(ScalarType.Float64);
            map = hasBias ? cat([weight, head.Head.bias!.detach().to(CPU).to(ScalarType.Float64).unsqueeze(1)], 1) : weight.clone();
        }
        var (phi, logits) = head.Run(train.Inputs, batchSize);
        var a = LaplacePosterior.Augment(phi, hasBias);
        LastLayerFeatures.Check(a, logits, map, model.GetName());
        var p = nn.functional.softmax(a.matmul(map.t()), 1);
        Tensor? diagonal = null, factorA = null, factorG = null;
        if (kind == HessianKind.Diagonal)
        {
            using Scalar one = 1;
            diagonal = (p * p.neg().add(one)).t().matmul(a.square());
        }
        else
        {
            factorA = a.t().matmul(a);
            factorG = diag(p.sum([0L])) - p.t().matmul(p);
        }
        var posterior = new LaplacePosterior(head, map.DetachFromDisposeScope(), hasBias, kind, train.Count,
            diagonal?.DetachFromDisposeScope(), factorA?.DetachFromDisposeScope(), factorG?.DetachFromDisposeScope(), priorPrecision);
        return posterior;
    }

    /// <summary>
    /// <see cref="Fit(nn.Module{Tensor, Tensor}, TensorDataset, HessianKind, double, int)"/>, then the prior precision chosen
    /// on <paramref name="validation"/> by <see cref="LaplacePosterior.TunePriorPrecision"/> for <paramref name="predictive"/>
    /// (default grid: 21 values 1e-4..1e4).
    /// </summary>
    public static LaplacePosterior Fit(nn.Module<Tensor, Tensor> model, TensorDataset train, HessianKind kind, TensorDataset validation,
        LaplacePredictive predictive, int samples = 30, long seed = 0, IReadOnlyList<double>? grid = null, int batchSize = 1000)
    {
        var posterior = Fit(model, train, kind, 1.0, batchSize);
        try
        {
            posterior.TunePriorPrecision(validation, predictive, samples, seed, grid, batchSize);
            return posterior;
        }
        catch
        {
            posterior.Dispose();
            throw;
        }
    }
}
