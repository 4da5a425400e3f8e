namespace EnsembleKit.Models;

/// <summary>How a residual block's shortcut matches the shape of its output when the width or resolution changes.</summary>
public enum ResNetShortcut
{
    /// <summary>
    /// He et al. (2016) option A, used for their CIFAR ResNet-20…110: take every second pixel (stride 2) and pad the
    /// channels with zeros, half in front and half behind (input channel <c>i</c> becomes output channel
    /// <c>i + (out − in) / 2</c>). No parameters.
    /// </summary>
    ZeroPad,

    /// <summary>He et al. option B: a 1×1 convolution with the block's stride followed by batch norm
    /// (<c>shortcut.conv</c>, <c>shortcut.bn</c>), only where the shape changes; torchvision's ResNet-18/34.</summary>
    Projection,
}
