namespace EnsembleKit.Data.Corruptions;

/// <summary>The four groups of the CIFAR-10-C benchmark.</summary>
public enum CorruptionFamily
{
    Noise,
    Blur,
    Weather,
    Digital,
}
