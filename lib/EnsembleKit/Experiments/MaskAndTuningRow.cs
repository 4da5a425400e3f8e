namespace EnsembleKit.Experiments;

/// <summary>One mask-and-tuning recipe of <see cref="MaskAndTuningGrid"/>: its children's mean and ensemble test scores.</summary>
/// <param name="Masks">"R" (random masks) or "NP" (Neural Partitioning).</param>
/// <param name="Tuning">The tuning recipe's name, e.g. "FT" or "1C".</param>
/// <param name="MeanChild">The children's mean test accuracy, %.</param>
/// <param name="Ensemble">The ensemble's test accuracy, %.</param>
/// <param name="Nll">The ensemble's test NLL.</param>
public sealed record MaskAndTuningRow(string Masks, string Tuning, double MeanChild, double Ensemble, double Nll);
