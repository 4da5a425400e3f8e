using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Training.Optimizers;

/// <summary>
/// TorchSharp's Adam with the same update, operation for operation, but with every scalar it hands libtorch owned and disposed here
/// (see <see cref="SGD"/> for why, and why it bears TorchSharp's name). State and checkpoints are Adam's own; amsgrad
/// is not offered by the kit.
/// </summary>
internal sealed class Adam(IEnumerable<Parameter> parameters, double lr, double weightDecay)
    : TorchSharp.Modules.Adam(parameters, lr, weight_decay: weightDecay)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, weightDecay = options.weight_decay!.Value;
        double eps = options.eps!.Value, lr = options.LearningRate!.Value;
        bool maximize = options.maximize!.Value;
        if (options.amsgrad!.Value) throw new NotSupportedException("the kit's Adam does not implement amsgrad.");
        using Scalar decay = weightDecay, beta1s = beta1, beta2s = beta2, fresh1 = 1 - beta1, fresh2 = 1 - beta2, epsilon = eps;

        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = param.grad;
            if (grad is null) continue;
            if (maximize) grad = -grad;
            state.step += 1;
            double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            if (weightDecay != 0) grad = grad.add(param, alpha: decay);
            state.exp_avg.mul_(beta1s).add_(grad, alpha: fresh1);
            state.exp_avg_sq.mul_(beta2s).addcmul_(grad, grad.conj(), value: fresh2);
            using Scalar root = Math.Sqrt(biasCorrection2), stepSize = -(lr / biasCorrection1);
            var denominator = state.exp_avg_sq.sqrt().div(root).add_(epsilon);
            param.addcdiv_(state.exp_avg, denominator, value: stepSize);
        }
    }, closure);
}
