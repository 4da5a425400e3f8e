using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// A network of mean-field layers whose weight draws are ordinary deterministic networks (<see cref="MeanFieldMlp"/> draws
/// <see cref="Models.Mlp"/>s, <see cref="MeanFieldLeNet"/> draws <see cref="Models.LeNet"/>s): what a
/// <see cref="VariationalEnsemble"/> samples its members from.
/// </summary>
public interface IMeanFieldNetwork
{
    /// <summary>s of the N(0, s²) prior on every weight and bias.</summary>
    double PriorSigma { get; }

    /// <summary>One weight draw, seeded <paramref name="seed"/> (the same seed gives the same network), in eval mode on the
    /// posterior's device; the caller owns it.</summary>
    nn.Module<Tensor, Tensor> SampleNetwork(long seed);
}
