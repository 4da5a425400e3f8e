namespace EnsembleKit.Models;

/// <summary>
/// Layer widths of a <see cref="LeNet"/>: output channels of the two 5×5 convolutions and the sizes of the two
/// hidden fully connected layers. The three presets are seed 002's LeNet-S/M/L (dissertation §5.3; the widths are
/// inferred from its exact parameter counts, seed-spec §3.4).
/// </summary>
public sealed record LeNetWidths(int Conv1, int Conv2, int Fc1, int Fc2)
{
    /// <summary>LeNet-S: (16, 32, 256, 128), 253,290 parameters on CIFAR-10.</summary>
    public static LeNetWidths Small { get; } = new(16, 32, 256, 128);

    /// <summary>LeNet-M: (32, 64, 512, 256), 1,007,306 parameters on CIFAR-10.</summary>
    public static LeNetWidths Medium { get; } = new(32, 64, 512, 256);

    /// <summary>LeNet-L: (64, 128, 1024, 512), 4,017,546 parameters on CIFAR-10.</summary>
    public static LeNetWidths Large { get; } = new(64, 128, 1024, 512);

    public override string ToString() => $"({Conv1}, {Conv2}, {Fc1}, {Fc2})";
}
