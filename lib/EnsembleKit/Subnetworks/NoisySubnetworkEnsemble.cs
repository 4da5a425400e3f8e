using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// Noisy Subnetwork Ensembles (seed 002 ch. 4, Algorithm 1): from a trained parent, make a population of
/// <see cref="NoisySubnetworkOptions.Candidates"/> noise-mutated children (optionally mirrored and partitioned), score each
/// by accuracy on a held-out validation split, keep the top <see cref="NoisySubnetworkOptions.Members"/>. No training is
/// needed; <see cref="SubnetworkEnsemble{TModel}.Tune"/> can tune the members afterwards. Pick σ and sparsity with
/// <see cref="TrustRegionSearch"/> first (<see cref="NoisySubnetworkOptions.With"/>).
/// </summary>
public static class NoisySubnetworkEnsemble
{
    /// <summary>
    /// Builds the ensemble. Only the current top-K candidates are held in memory; ties in accuracy go to the earlier candidate.
    /// <paramref name="create"/> must return a new untrained model of the parent's architecture.
    /// </summary>
    public static SubnetworkEnsemble<TModel> Build<TModel>(TModel parent, Func<TModel> create, TensorDataset validation, NoisySubnetworkOptions options)
        where TModel : nn.Module<Tensor, Tensor>
    {
        TorchRuntime.EnsureInitialized();
        options.Validate();
        using var parentLogits = Predict.Logits(parent, validation);
        var scored = new List<(int Index, int Draw, int Sign, bool AntiMask, double Accuracy, double Kl)>();
        var kept = new List<(int Index, double Accuracy, TModel Model)>();
        try
        {
            int index = 0;
            foreach (var (draw, sign, complement, drawIndex) in NoisySubnetwork.Variants(parent, options, options.Candidates, options.Seed))
            {
                var child = ModelState.Clone(parent, create);
                draw.Apply(child, sign, complement);
                child.eval();
                double accuracy, kl;
                using (var logits = Predict.Logits(child, validation))
                {
                    accuracy = Metric.Accuracy(logits, validation.Targets);
                    kl = TrustRegionSearch.MeanKl(parentLogits, logits);
                }
                scored.Add((index, drawIndex, (int)sign, complement, accuracy, kl));
                kept.Add((index, accuracy, child));
                if (kept.Count > options.Members)
                {
                    var worst = kept.OrderBy(k => k.Accuracy).ThenByDescending(k => k.Index).First();
                    kept.Remove(worst);
                    worst.Model.Dispose();
                }
                index++;
            }
        }
        catch
        {
            foreach (var k in kept) k.Model.Dispose();
            throw;
        }
        var members = kept.OrderByDescending(k => k.Accuracy).ThenBy(k => k.Index).ToList();
        var selected = members.Select(m => m.Index).ToHashSet();
        var candidates = scored.Select(s => new NoisyCandidate(s.Index, s.Draw, s.Sign, s.AntiMask, s.Accuracy, s.Kl, selected.Contains(s.Index))).ToList();
        return new SubnetworkEnsemble<TModel>(members.Select(m => m.Model).ToList(), [], [], candidates, "noisy subnetwork ensemble");
    }
}
