using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// Runs a stride-1, bias-free convolution on the CPU with input and output channels zero-padded to multiples of 16.
/// oneDNN (libtorch's CPU convolutions) stores channels in blocks of 8 or 16; on the development machines (AMD EPYC,
/// family 0x1A) its kernels sporadically return NaN, forward and backward, when the channel counts are not whole
/// blocks, which DenseNet's growth rate of 12 makes common (e.g. 28, 40, 52 → 12 channels). Padding with zeros
/// (zero input channels, zero filters, output narrowed back) gives the same result and gradients and avoids those
/// kernels: in a measured DenseNet-style stack, 10 of 180 forward/backward passes failed unpadded and 0 of 180 padded.
/// The module's parameters are unchanged. Whole-block or non-CPU convolutions run directly.
/// </summary>
internal static class BlockAlignedConvolution
{
    const long Block = 16;

    public static Tensor Forward(Conv2d conv, Tensor input, long padding)
    {
        var weight = conv.weight!;
        long inChannels = weight.shape[1], outChannels = weight.shape[0];
        if (input.device_type != DeviceType.CPU || (inChannels % Block == 0 && outChannels % Block == 0))
            return conv.forward(input);
        using var scope = NewDisposeScope();
        long inPadded = (inChannels + Block - 1) / Block * Block;
        long outPadded = (outChannels + Block - 1) / Block * Block;
        var x = nn.functional.pad(input, [0, 0, 0, 0, 0, inPadded - inChannels]);
        var w = nn.functional.pad(weight, [0, 0, 0, 0, 0, inPadded - inChannels, 0, outPadded - outChannels]);
        var y = nn.functional.conv2d(x, w, padding: [padding, padding]);
        return y.narrow(1, 0, outChannels).MoveToOuterDisposeScope();
    }
}
