using EnsembleKit.Backend;
using EnsembleKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// KFAC-Laplace over the whole network (Ritter, Botev and Barber, ICLR 2018, "A Scalable Laplace Approximation for Neural
/// Networks"): a Gaussian over every <c>nn.Linear</c> and <c>nn.Conv2d</c> layer's weights and bias, centred on the trained
/// weights (the MAP),
/// block-diagonal across layers, each block's precision a Kronecker product built from the layer's factors
/// <c>A_l = E[a_{l−1} a_{l−1}ᵀ]</c> and <c>G_l = E[g_l g_lᵀ]</c> (<see cref="KfacFactors"/>, <see cref="KfacCurvature"/>)
/// and sampled as described on <see cref="KfacLaplacePosterior"/>. A convolution's factors follow KFC (Grosse and Martens
/// 2016): A sums the input patches' outer products over the output positions, G averages the pre-activation gradients'
/// over them. Supports <see cref="Models.Mlp"/>, <see cref="Models.LeNet"/>, <c>nn.Sequential</c> of <c>nn.Linear</c>,
/// <c>nn.Conv2d</c> and parameter-free layers, and a bare <c>nn.Linear</c>; any other parameterised layer (normalisation,
/// embeddings, grouped convolutions) is refused with a <see cref="NotSupportedException"/> naming the layer.
/// </summary>
public static class KfacLaplace
{
    /// <summary>
    /// Computes the factors of every covered layer of <paramref name="model"/> on every row of <paramref name="train"/>
    /// (eval mode; the model is not changed): with a_{l−1} = [layer input; 1] and g_l the vectors back-propagated from the
    /// logits to the pre-activations (<paramref name="curvature"/>; <see cref="KfacCurvature.SampledFisher"/> draws its
    /// labels from a CPU generator seeded <paramref name="seed"/>), <c>A_l = (1/N) Σ_n a a ᵀ</c> and
    /// <c>G_l = (1/N) Σ_n Σ_k g gᵀ</c>, N = the training rows; for a convolution with T output positions
    /// <c>A_l = (1/N) Σ_n Σ_t a_t a_tᵀ</c> over the input patches and <c>G_l = (1/N) Σ_n Σ_k (1/T) Σ_t g_t g_tᵀ</c>. <paramref name="priorPrecision"/> is τ and
    /// <paramref name="datasetSize"/> the N that scales the curvature in the posterior (default: the training rows); both
    /// can be changed on the posterior afterwards.
    /// </summary>
    /// <exception cref="NotSupportedException">The model has parameters outside <c>nn.Linear</c> and <c>nn.Conv2d</c>, or is no chain of layers
    /// this method can run (see <see cref="KfacLaplace"/>).</exception>
    public static KfacLaplacePosterior Fit(nn.Module<Tensor, Tensor> model, TensorDataset train, KfacCurvature curvature = KfacCurvature.ExactGgn,
        double priorPrecision = 1.0, double? datasetSize = null, long seed = 0, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        if (!Enum.IsDefined(curvature)) throw new ArgumentOutOfRangeException(nameof(curvature), $"unknown curvature {curvature}.");
        KfacLaplacePosterior.CheckPositive(priorPrecision, nameof(priorPrecision), "prior precision");
        if (datasetSize is double size) KfacLaplacePosterior.CheckPositive(size, nameof(datasetSize), "dataset size");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be positive; got {batchSize}.");
        if (train.Count == 0) throw new ArgumentException("the training set is empty.", nameof(train));
        TorchRuntime.EnsureInitialized();
        var network = new KfacNetwork(model);
        bool wasTraining = model.training;
        model.eval();
        var factors = new List<KfacFactors>();
        try
        {
            using var scope = NewDisposeScope();
            var layers = network.Layers;
            var aSums = layers.Select(l => zeros(l.InputSize, l.InputSize, dtype: ScalarType.Float64)).ToList();
            var gSums = layers.Select(l => zeros(l.Outputs, l.Outputs, dtype: ScalarType.Float64)).ToList();
            using var generator = new Generator((ulong)seed, CPU);
            long n = train.Count;
            for (long start = 0; start < n; start += batchSize)
            {
                using var inner = NewDisposeScope();
                using var _ = enable_grad();
                var batch = train.Inputs.narrow(0, start, Math.Min(batchSize, n - start));
                // The input requires a gradient so that every pre-activation is in the graph, even with frozen weights.
                var (logits, inputs, preActivations) = network.Forward(batch.detach().requires_grad_(true));
                if (start == 0) CheckLogits(model, batch, logits);
                var p = nn.functional.softmax(logits.detach().to(CPU).to(ScalarType.Float64), 1);
                var vectors = BackpropVectors(p, curvature, generator);
                for (int k = 0; k < vectors.Count; k++)
                {
                    var grads = autograd.grad([logits], preActivations, [vectors[k].to(logits.dtype).to(logits.device)], retain_graph: k < vectors.Count - 1);
                    for (int l = 0; l < layers.Count; l++) gSums[l].add_(layers[l].GradientOuter(grads[l]));
                }
                for (int l = 0; l < layers.Count; l++)
                {
                    var a = layers[l].InputRows(inputs[l]);
                    aSums[l].add_(a.t().matmul(a));
                }
            }
            using Scalar rows = n;
            for (int l = 0; l < layers.Count; l++)
            {
                var layer = layers[l];
                factors.Add(new KfacFactors(layer.Name, layer.Map().DetachFromDisposeScope(), aSums[l].div(rows).DetachFromDisposeScope(),
                    gSums[l].div(rows).DetachFromDisposeScope(), layer.Bias is not null));
            }
        }
        catch
        {
            foreach (var f in factors) f.Dispose();
            throw;
        }
        finally
        {
            model.train(wasTraining);
        }
        return new KfacLaplacePosterior(network, factors, curvature, train.Count, priorPrecision, datasetSize ?? train.Count);
    }

    /// <summary>The vectors v <c>[B, C]</c> whose back-propagation gives the g's: √p_c (e_c − p) for each class c (exact), or
    /// p − e_y with y ~ softmax (sampled).</summary>
    static List<Tensor> BackpropVectors(Tensor p, KfacCurvature curvature, Generator generator)
    {
        long classes = p.shape[1];
        if (curvature == KfacCurvature.ExactGgn)
        {
            var identity = eye(classes, dtype: ScalarType.Float64);
            return Enumerable.Range(0, (int)classes).Select(c => p.narrow(1, c, 1).sqrt() * (identity.narrow(0, c, 1) - p)).ToList();
        }
        var u = rand(p.shape[0], 1, dtype: ScalarType.Float64, generator: generator);
        using Scalar lastClass = classes - 1;
        var labels = p.cumsum(1).lt(u).sum(1).clamp_max(lastClass); // P(y = k) = p_k
        return [p - nn.functional.one_hot(labels, classes).to(ScalarType.Float64)];
    }

    /// <summary>The layer-by-layer run must give the model's own logits (relative tolerance 1e-4).</summary>
    static void CheckLogits(nn.Module<Tensor, Tensor> model, Tensor batch, Tensor logits)
    {
        using var _ = no_grad();
        var expected = model.forward(batch);
        if (expected.dim() != 2 || !expected.shape.SequenceEqual(logits.shape))
            throw new NotSupportedException($"{model.GetName()} gives [{string.Join(", ", expected.shape)}], not the [B, C] logits of its layers run in order.");
        double scale = Math.Max(1.0, expected.abs().max().to(ScalarType.Float64).item<double>());
        double gap = (expected - logits.detach()).abs().max().to(ScalarType.Float64).item<double>();
        if (gap > 1e-4 * scale)
            throw new NotSupportedException($"{model.GetName()}'s logits differ by up to {gap:G3} from its layers run in order: KFAC-Laplace needs a plain chain of layers.");
    }
}
