using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// A layer with a fully factorised Gaussian posterior over its weights (<see cref="MeanFieldLinear"/>,
/// <see cref="MeanFieldConv2d"/>): what <see cref="VariationalInference"/> sums the KL term of the ELBO over.
/// </summary>
public interface IMeanFieldLayer
{
    /// <summary>s, the standard deviation of the N(0, s²) prior on every weight and bias.</summary>
    double PriorSigma { get; }

    /// <summary>KL(q ‖ N(0, s² I)) summed over the layer's weights and biases, a scalar tensor attached to the graph.</summary>
    Tensor Kl();
}
