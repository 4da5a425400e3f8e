namespace EnsembleKit.Models;

/// <summary>The first layers of a ResNet or DenseNet, before the first stage.</summary>
public enum StemKind
{
    /// <summary>One 3×3 convolution at full resolution (the CIFAR variants).</summary>
    Cifar,

    /// <summary>A 7×7 stride-2 convolution, batch norm, ReLU and a 3×3 stride-2 max pool (the ImageNet
    /// architecture of torchvision; with 1000 classes it has torchvision's exact parameter count).</summary>
    ImageNet,
}
