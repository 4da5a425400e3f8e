using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

/// <summary>
/// A random direction in weight space scaled filter by filter to the model's own weights (Li et al. 2018, "Visualizing
/// the loss landscape of neural nets", §4): for every parameter with at least two dimensions (linear and conv weights),
/// each filter (slice along dimension 0) of a standard normal draw <c>d</c> is rescaled to the norm of the same filter of
/// the weights, <c>d_i ← d_i · ‖θ_i‖ / ‖d_i‖</c>; one-dimensional parameters (biases, batch-norm scales) get no component
/// (Li et al.'s default). So a step of 1 along it moves every filter by its own size, which makes surfaces of networks of
/// different scale (a parent and its pruned child) comparable. Buffers are not part of it.
/// </summary>
public static class FilterNormalizedDirection
{
    /// <summary>
    /// The direction for <paramref name="model"/> from a CPU generator seeded <paramref name="seed"/> (parameters in
    /// registration order), as parameter name → tensor on each parameter's device and dtype; the caller owns the tensors.
    /// The same seed draws the same normal numbers for every model of one architecture, only the scaling differs.
    /// A filter whose weights are all zero (a removed unit) gets a zero direction.
    /// </summary>
    public static Dictionary<string, Tensor> Draw(nn.Module model, long seed)
    {
        TorchRuntime.EnsureInitialized();
        ArgumentNullException.ThrowIfNull(model);
        using var generator = new Generator((ulong)seed, CPU);
        var direction = new Dictionary<string, Tensor>();
        try
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var weights = parameter.detach().to(ScalarType.Float64, CPU);
                var draw = randn(weights.shape, dtype: ScalarType.Float64, generator: generator);
                Tensor scaled;
                if (weights.dim() < 2) scaled = zeros_like(weights);
                else
                {
                    var weightNorms = weights.flatten(1).norm(1, keepdim: true);
                    var drawNorms = draw.flatten(1).norm(1, keepdim: true);
                    scaled = draw.flatten(1).mul(weightNorms).div(drawNorms).view(weights.shape);
                }
                direction[name] = scaled.to(parameter.dtype, parameter.device).DetachFromDisposeScope();
            }
            return direction;
        }
        catch
        {
            foreach (var tensor in direction.Values) tensor.Dispose();
            throw;
        }
    }
}
