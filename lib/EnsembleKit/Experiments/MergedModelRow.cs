using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.WeightSpace;
using static TorchSharp.torch;

namespace EnsembleKit.Experiments;

/// <summary>
/// One way of turning seed 000's members into a predictor (E0.4-E0.5, notebook 03): its <see cref="Method"/>, its test
/// <see cref="Accuracy"/> in percent and the <see cref="ForwardPasses"/> it costs per input.
/// </summary>
public sealed record MergedModelRow(string Method, double Accuracy, int ForwardPasses)
{
    /// <summary>
    /// The members compared with four merges, in this order: the best member, the deep ensemble (mean of logits, one
    /// forward pass per member), the naive weight average, the average after weight matching every member onto the first,
    /// and the average after activation matching on the first <paramref name="probeImages"/> images of
    /// <paramref name="train"/>. The three merged models come from <paramref name="create"/> in that order and are
    /// disposed; the members are left as they are. The list is the caller's, to add rows to (<see cref="PermAvgExports"/>).
    /// </summary>
    public static List<MergedModelRow> MergeFourWays(IReadOnlyList<Mlp> members, PermutationSpec spec, Func<Mlp> create,
        TensorDataset train, TensorDataset test, int probeImages = 5_000)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (members.Count < 2) throw new ArgumentException($"merging needs at least 2 members; got {members.Count}.", nameof(members));
        if (probeImages <= 0) throw new ArgumentOutOfRangeException(nameof(probeImages), $"the probe needs at least one image; got {probeImages}.");
        var modules = members.Cast<nn.Module<Tensor, Tensor>>().ToList();
        // The ensemble only holds the members; disposing it would dispose them.
        var ensemble = new DeepEnsemble(modules, CombinationRule.MeanLogits);
        using var naive = WeightAveraging.Into(modules, create());
        using var weightMatched = AlignedAveraging.Into(modules, spec, create(), AlignedAveraging.ByWeightMatching(spec));
        using var probe = train.Inputs.narrow(0, 0, Math.Min(probeImages, train.Count));
        using var activationMatched = AlignedAveraging.Into(modules, spec, create(),
            (a, b) => ActivationMatching.AlignMlp((Mlp)a, (Mlp)b, probe));
        return
        [
            new("best member", members.Max(m => Score(m, test)), 1),
            new("deep ensemble (mean of logits)", Score(ensemble, test), members.Count),
            new("naive weight average", Score(naive, test), 1),
            new("weight matching, then average", Score(weightMatched, test), 1),
            new("activation matching, then average", Score(activationMatched, test), 1),
        ];
    }

    /// <summary>
    /// Two rows for a trained <see cref="PermAvg"/>, "<paramref name="label"/>, soft matrices" then
    /// "<paramref name="label"/>, hard permutations": the test accuracy of <see cref="PermAvg.ExportSoft"/> and of
    /// <see cref="PermAvg.ExportHard"/>, exported in that order and disposed after scoring.
    /// </summary>
    public static IReadOnlyList<MergedModelRow> PermAvgExports(string label, PermAvg permAvg, TensorDataset test)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentNullException.ThrowIfNull(permAvg);
        ArgumentNullException.ThrowIfNull(test);
        double soft, hard;
        using (var model = permAvg.ExportSoft()) soft = Score(model, test);
        using (var model = permAvg.ExportHard()) hard = Score(model, test);
        return [new($"{label}, soft matrices", soft, 1), new($"{label}, hard permutations", hard, 1)];
    }

    static double Score(nn.Module<Tensor, Tensor> model, TensorDataset test) => Predict.Accuracy(model, test) * 100;
}
