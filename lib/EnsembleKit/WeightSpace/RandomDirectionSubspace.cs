using EnsembleKit.Diversity;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

/// <summary>
/// Subspace sampling around one trained solution (Fort, Hu and Lakshminarayanan 2019, as seed 001 reports it): weight vectors
/// near θ* drawn four ways — random directions, dropout masks, a diagonal Gaussian and a low-rank Gaussian fitted to iterates.
/// Generic over any <c>nn.Module</c> through <c>named_parameters()</c>; samples are CPU <c>float[]</c>s, evaluated by
/// <see cref="Evaluate"/>, which writes each into the model in turn and restores it.
/// </summary>
public static partial class SubspaceSampling
{
    /// <summary>Random-direction samples <c>θ* + t·v</c> around <paramref name="model"/>'s current weights; see <see cref="RandomSubspaceOptions"/>.</summary>
    public static IReadOnlyList<WeightSample> RandomDirections(nn.Module model, RandomSubspaceOptions? options = null)
    {
        options ??= new RandomSubspaceOptions();
        if (options.DirectionsPerScale <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"directions per scale must be positive; got {options.DirectionsPerScale}.");
        var layout = ParameterVector.Layout(model, options.IncludeBiases);
        var center = ParameterVector.Flatten(model, options.IncludeBiases);
        var noise = new GaussianNoise(options.Seed);
        var samples = new List<WeightSample>();
        var direction = new double[center.Length];
        foreach (var t in options.Scales)
            for (int d = 0; d < options.DirectionsPerScale; d++)
            {
                var weights = new float[center.Length];
                foreach (var slot in layout)
                {
                    int start = (int)slot.Offset, length = (int)slot.Length;
                    double directionNorm = 0, layerNorm = 0;
                    for (int i = start; i < start + length; i++)
                    {
                        direction[i] = noise.Next();
                        directionNorm += direction[i] * direction[i];
                        layerNorm += (double)center[i] * center[i];
                    }
                    double factor = directionNorm > 0 ? t * Math.Sqrt(layerNorm / directionNorm) : 0;
                    for (int i = start; i < start + length; i++)
                        weights[i] = (float)(center[i] + factor * direction[i]);
                }
                samples.Add(new WeightSample("random direction", t, weights));
            }
        return samples;
    }
}
