using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Training.Optimizers;

/// <summary>
/// TorchSharp's SGD with the same update, operation for operation, but with every scalar it hands libtorch owned and disposed here.
/// TorchSharp's own step passes <c>alpha: momentum</c> and friends as temporary <see cref="Scalar"/>s; the garbage collector
/// may finalise one while libtorch still reads it, and a parallel test run failed on exactly that
/// ("Expected false to be true" from <c>Scalar::toFloat</c> in <c>add</c>, nesterov path). State and checkpoints are SGD's own.
/// <para>Named <c>SGD</c> like TorchSharp's on purpose: TorchSharp writes the optimiser's simple type name into a saved
/// state and refuses to load a state whose name differs, so this name keeps every checkpoint interchangeable with
/// TorchSharp's SGD (those written before this class existed included).</para>
/// </summary>
internal sealed class SGD(IEnumerable<Parameter> parameters, double lr, double momentum, double weightDecay, bool nesterov)
    : TorchSharp.Modules.SGD(parameters, lr, momentum, dampening: 0, weight_decay: weightDecay, nesterov: nesterov)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        double momentum = options.momentum!.Value, dampening = options.dampening!.Value, weightDecay = options.weight_decay!.Value;
        bool nesterov = options.nesterov!.Value, maximize = options.maximize!.Value;
        double lr = options.LearningRate!.Value;
        using Scalar decay = weightDecay, keep = momentum, fresh = 1 - dampening, rate = maximize ? lr : -lr;

        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = param.grad;
            if (grad is null) continue;
            if (weightDecay != 0) grad = grad.add(param, alpha: decay);
            if (momentum != 0)
            {
                var buffer = state.momentum_buffer;
                if (buffer is null)
                {
                    buffer = grad.clone().detach().DetachFromDisposeScope();
                    state.momentum_buffer = buffer;
                }
                else
                {
                    buffer.mul_(keep).add_(grad, alpha: fresh);
                }
                grad = nesterov ? grad.add(buffer, alpha: keep) : buffer;
            }
            param.add_(grad, alpha: rate);
        }
    }, closure);
}
