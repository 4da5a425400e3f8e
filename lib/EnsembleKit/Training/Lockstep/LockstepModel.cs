using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Training.Lockstep;

/// <summary>
/// M members of one architecture as one computation: their parameters stacked along a leading member axis <c>[M, ...]</c>,
/// so one forward/backward pass and one optimiser step train all of them. Built from the M
/// ordinary modules (copies of their weights); <see cref="WriteBack"/> copies the trained weights back into them.
/// <para><c>forward</c> takes per-member batches <c>[M, B, ...]</c> float32 (member m's own samples in row m) and
/// returns logits <c>[M, B, C]</c>. Member m's outputs depend only on member m's parameters and inputs.</para>
/// </summary>
public abstract class LockstepModel : nn.Module<Tensor, Tensor>
{
    protected LockstepModel(string name, int count) : base(name) => Count = count;

    /// <summary>Number of members M.</summary>
    public int Count { get; }

    /// <summary>
    /// One dropout generator per member, set by the trainer for each epoch, so each member has its own dropout stream;
    /// when null, dropout draws from torch's global generator.
    /// </summary>
    public IReadOnlyList<Generator>? DropoutStreams { get; set; }

    /// <summary>How the stacked layers run; <see cref="LockstepKernels.Auto"/> picks by the input's device.</summary>
    public LockstepKernels Kernels { get; set; } = LockstepKernels.Auto;

    /// <summary>Whether a forward pass on <paramref name="input"/> runs batched kernels (see <see cref="Kernels"/>).</summary>
    protected bool Batched(Tensor input) => Kernels switch
    {
        LockstepKernels.Batched => true,
        LockstepKernels.PerMember => false,
        _ => input.device_type != DeviceType.CPU,
    };

    /// <summary>Copies the stacked (trained) parameters and buffers back into the member modules it was built from.</summary>
    public abstract void WriteBack();

    readonly List<TorchSharp.Modules.Parameter> owned = [];

    /// <summary>Registers a stacked parameter under <paramref name="name"/>; this model owns and disposes it.</summary>
    protected void Own(string name, TorchSharp.Modules.Parameter parameter)
    {
        register_parameter(name, parameter);
        owned.Add(parameter);
    }

    /// <summary>Disposes the stacked parameters too: they are this model's own copies.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var p in owned) p.Dispose();
            owned.Clear();
        }
        base.Dispose(disposing);
    }

    /// <summary>Throws unless <paramref name="input"/> is <c>[M, ...]</c> with this model's M.</summary>
    protected void RequireMembers(Tensor input, string model)
    {
        if (input.dim() < 2 || input.shape[0] != Count)
            throw new ArgumentException($"{model} expects inputs [{Count}, B, ...] (one batch per member); got [{string.Join(", ", input.shape)}].", nameof(input));
    }

    /// <summary>Inverted dropout on member <paramref name="member"/>'s activation <c>[B, ...]</c> from its own stream.</summary>
    protected Tensor Dropout(Tensor x, double rate, int member) =>
        !training || rate == 0 ? x : LockstepDropout.ApplyOne(x, rate, DropoutStreams?[member]);

    /// <summary>Inverted dropout with a mask per member on <c>[M, B, ...]</c>; see <see cref="LockstepDropout"/>.</summary>
    protected Tensor Dropout(Tensor x, double rate) =>
        !training || rate == 0 ? x : LockstepDropout.Apply(x, rate, DropoutStreams);
}
