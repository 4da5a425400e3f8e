using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Backend;

/// <summary>Where a model lives.</summary>
public static class ModelDevice
{
    /// <summary>The device of the model's first parameter; the CPU for a model without parameters.</summary>
    public static Device Of(nn.Module model) => model.parameters().FirstOrDefault()?.device ?? CPU;
}
