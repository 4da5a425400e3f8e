using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

/// <summary>
/// Naive weight averaging (seed 000): one network whose every parameter is the arithmetic mean of the members'
/// corresponding parameters, <c>theta = (1/M) sum_m theta_m</c>. Members must share the architecture exactly.
/// </summary>
public static class WeightAveraging
{
    /// <summary>The element-wise mean of the states (float entries; integer entries such as batch counters are taken from the first). Caller disposes.</summary>
    public static Dictionary<string, Tensor> Average(IReadOnlyList<IReadOnlyDictionary<string, Tensor>> states, IReadOnlyList<string>? labels = null)
    {
        ModelState.CheckSameArchitecture(states, labels);
        using var _ = no_grad();
        var result = new Dictionary<string, Tensor>();
        int members = states.Count;
        using Scalar count = members;
        foreach (var name in states[0].Keys)
        {
            using var scope = NewDisposeScope();
            var first = states[0][name];
            Tensor mean;
            if (!first.is_floating_point()) mean = first.clone();
            else
            {
                mean = first.to(ScalarType.Float64);
                for (int m = 1; m < states.Count; m++) mean = mean + states[m][name].to(first.device).to(ScalarType.Float64);
                mean = mean.div(count).to(first.dtype);
            }
            result[name] = mean.MoveToOuterDisposeScope().DetachFromDisposeScope();
        }
        return result;
    }

    /// <summary>
    /// Writes the average of <paramref name="members"/> into <paramref name="target"/> (same architecture). When the network
    /// has batch norm, averaged running statistics mean nothing, so they are recomputed on <paramref name="recalibrationData"/>
    /// (required in that case).
    /// </summary>
    public static TModel Into<TModel>(IReadOnlyList<nn.Module<Tensor, Tensor>> members, TModel target, TensorDataset? recalibrationData = null)
        where TModel : nn.Module<Tensor, Tensor>
    {
        TorchRuntime.EnsureInitialized();
        if (members.Count == 0) throw new ArgumentException("no members to average.", nameof(members));
        var states = members.Select(m => (IReadOnlyDictionary<string, Tensor>)ModelState.Copy(m)).ToList();
        try
        {
            var average = Average(states, members.Select((_, i) => $"member {i}").ToList());
            ModelState.Load(target, average);
            ModelState.Dispose(average);
        }
        finally
        {
            foreach (var s in states) ModelState.Dispose(s);
        }
        if (BatchNormRecalibration.Layers(target).Count > 0)
        {
            if (recalibrationData is null)
                throw new ArgumentException("the network has batch norm: pass training data to recompute its running statistics after averaging.", nameof(recalibrationData));
            BatchNormRecalibration.Recompute(target, recalibrationData);
        }
        target.eval();
        return target;
    }
}
