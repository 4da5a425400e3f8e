namespace EnsembleKit.Models;

/// <summary>The classifier on top of a CIFAR <see cref="Vgg"/>'s 512 features.</summary>
public enum VggHead
{
    /// <summary>
    /// <c>Dropout → FC(512→512) → ReLU → Dropout → FC(512→512) → ReLU → FC(512→C)</c>: the VGG of Garipov et al.
    /// (FGE, SWA, mode connectivity) and Ashukha et al. (DEE), whose tables seed 004 quotes. VGG-16-BN: 15,253,578
    /// parameters for 10 classes (the "15M" usually quoted).
    /// </summary>
    Mlp,

    /// <summary><c>FC(512→C)</c> (e.g. kuangliu/pytorch-cifar). VGG-16-BN: 14,728,266 parameters for 10 classes.</summary>
    Linear,
}
