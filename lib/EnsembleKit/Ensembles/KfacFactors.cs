using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// One <c>nn.Linear</c> or <c>nn.Conv2d</c> layer's part of a <see cref="KfacLaplacePosterior"/>: the MAP W̄ <c>[O, Q]</c>
/// (the weight flattened to <c>[O, I]</c>, a convolution's I = C_in·kh·kw, with the bias as column Q = I + 1, or Q = I
/// without bias; parameters row-major, output outer, input inner) and the Kronecker
/// factors of its curvature, expectations over the N training rows:
/// <c>A = E[a aᵀ]</c> <c>[Q, Q]</c> with a = [layer input; 1] (a convolution sums over its input patches), and <c>G = E[g gᵀ]</c> <c>[O, O]</c> with g the
/// back-propagated pre-activation vectors (<see cref="KfacCurvature"/>; a convolution averages over its output positions), so that the layer's GGN is ≈ N · G ⊗ A.
/// All float64 on the CPU, owned by the posterior (valid until it is disposed).
/// </summary>
public sealed class KfacFactors
{
    internal KfacFactors(string name, Tensor map, Tensor a, Tensor g, bool hasBias)
    {
        Name = name;
        Map = map;
        A = a;
        G = g;
        HasBias = hasBias;
    }

    /// <summary>The layer's name in the model's state, e.g. "layers.0" ("" when the model is the layer).</summary>
    public string Name { get; }
    /// <summary>Whether the layer has a bias (then Q = inputs + 1).</summary>
    public bool HasBias { get; }
    /// <summary>O, the layer's outputs.</summary>
    public int Outputs => (int)Map.shape[0];
    /// <summary>Q, the layer's inputs plus one for the bias.</summary>
    public int InputSize => (int)Map.shape[1];
    /// <summary>W̄_MAP <c>[O, Q]</c> float64.</summary>
    public Tensor Map { get; }
    /// <summary>A = E[a aᵀ] <c>[Q, Q]</c> float64.</summary>
    public Tensor A { get; }
    /// <summary>G = E[g gᵀ] <c>[O, O]</c> float64.</summary>
    public Tensor G { get; }

    internal string WeightKey => Name.Length == 0 ? "weight" : $"{Name}.weight";
    internal string BiasKey => Name.Length == 0 ? "bias" : $"{Name}.bias";

    internal void Dispose()
    {
        Map.Dispose();
        A.Dispose();
        G.Dispose();
    }
}
