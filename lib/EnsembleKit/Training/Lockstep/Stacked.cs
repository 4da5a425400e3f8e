using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Training.Lockstep;

/// <summary>Builds one stacked parameter from the members' ones.</summary>
static class Stacked
{
    /// <summary>
    /// A new parameter holding copies of <paramref name="parts"/>, stacked along a new dimension 0 (<paramref name="stack"/>)
    /// or concatenated along dimension 0.
    /// </summary>
    public static Parameter Parameter(IReadOnlyList<Tensor> parts, bool stack)
    {
        using var scope = NewDisposeScope();
        var detached = parts.Select(p => p.detach()).ToList();
        var data = (stack ? torch.stack(detached, 0) : cat(detached, 0)).contiguous();
        // Created in the scope, the parameter takes data's place there (TorchSharp moves data's handle into it).
        var parameter = new Parameter(data);
        parameter.MoveToOuterDisposeScope();
        return parameter;
    }
}
