namespace EnsembleKit.Experiments;

/// <summary>
/// Seed 000's reported Fashion-MNIST test accuracies, in percent (E0.2-E0.3): the main job's table and the paper tables
/// of notebooks 01-03 compare against these.
/// </summary>
public static class Seed000Figures
{
    /// <summary>The three MLP members.</summary>
    public static IReadOnlyList<double> MemberAccuracy { get; } = [87.97, 84.28, 87.30];

    /// <summary>Their mean-of-logits ensemble.</summary>
    public const double EnsembleAccuracy = 88.54;

    /// <summary>The student distilled from that ensemble.</summary>
    public const double StudentAccuracy = 88.81;
}
