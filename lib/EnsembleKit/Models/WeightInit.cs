using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>Initialisation shared by the residual, VGG and DenseNet models.</summary>
internal static class WeightInit
{
    /// <summary>
    /// He et al. (2015) normal initialisation for every convolution, <c>N(0, 2 / (k·k·out_channels))</c>
    /// (kaiming normal, fan-out, ReLU gain: what torchvision and the VGG of Garipov et al. use), zero conv biases,
    /// batch-norm scale 1 and shift 0. Linear layers keep TorchSharp's default. Draws from the global generator
    /// in module order, so <c>manual_seed(s)</c> before construction fixes every weight.
    /// </summary>
    public static void HeNormalConvolutions(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var m in module.modules())
        {
            switch (m)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    if (conv.bias is not null) nn.init.zeros_(conv.bias);
                    break;
                case BatchNorm2d bn:
                    if (bn.weight is not null) nn.init.ones_(bn.weight);
                    if (bn.bias is not null) nn.init.zeros_(bn.bias);
                    break;
            }
        }
    }
}
