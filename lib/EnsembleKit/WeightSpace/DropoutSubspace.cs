using EnsembleKit.Diversity;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

public static partial class SubspaceSampling
{
    /// <summary>Dropout-mask samples of <paramref name="model"/>'s current weights; see <see cref="DropoutSubspaceOptions"/>.</summary>
    public static IReadOnlyList<WeightSample> DropoutMasks(nn.Module model, DropoutSubspaceOptions? options = null)
    {
        options ??= new DropoutSubspaceOptions();
        if (options.SamplesPerProbability <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"samples per probability must be positive; got {options.SamplesPerProbability}.");
        foreach (var p in options.KeepProbabilities)
            if (!(p > 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(options), $"keep probabilities must be in (0, 1]; got {p}.");
        var center = ParameterVector.Flatten(model, options.IncludeBiases);
        var noise = new GaussianNoise(options.Seed);
        var samples = new List<WeightSample>();
        foreach (var p in options.KeepProbabilities)
            for (int s = 0; s < options.SamplesPerProbability; s++)
            {
                var weights = new float[center.Length];
                float kept = options.Rescale ? (float)(1.0 / p) : 1f;
                for (int i = 0; i < center.Length; i++)
                    weights[i] = noise.NextUniform() < p ? center[i] * kept : 0f;
                samples.Add(new WeightSample("dropout", p, weights));
            }
        return samples;
    }
}
