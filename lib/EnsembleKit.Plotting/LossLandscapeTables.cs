using EnsembleKit.Analysis;
using EnsembleKit.Diversity;
using EnsembleKit.Experiments;
using EnsembleKit.WeightSpace;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// A subspace test's samples grouped by method and scale, then the independent runs as one row (scale NaN): Samples,
    /// MeanAccuracy (percent, 2 decimals) and MeanDisagreementWithTheta (4 decimals).
    /// </summary>
    public static DataFrame SubspaceGroups(SubspaceVersusIndependentRuns study)
    {
        ArgumentNullException.ThrowIfNull(study);
        return ToDataFrame(study.Sampling.Samples.GroupBy(s => (s.Method, s.Scale)).Select(g => new
        {
            g.Key.Method,
            g.Key.Scale,
            Samples = g.Count(),
            MeanAccuracy = Math.Round(g.Average(s => s.Accuracy) * 100, 2),
            MeanDisagreementWithTheta = Math.Round(g.Average(s => s.DisagreementWithBase), 4),
        }).Append(new
        {
            Method = "independent runs",
            Scale = double.NaN,
            Samples = study.IndependentRuns.Count,
            MeanAccuracy = Math.Round(study.IndependentMeanAccuracy * 100, 2),
            MeanDisagreementWithTheta = Math.Round(study.IndependentMeanDisagreement, 4),
        }));
    }

    /// <summary>
    /// Seed 001's statements (E1.1-E1.7) beside what two trajectory studies measured, one row a quantity: Quantity, Paper
    /// (its words), FashionMnist and Cifar10 (text, 3 decimals). The subspace test ran on the first study only.
    /// </summary>
    public static DataFrame LossLandscapeComparison(TrajectoryStudy fashionMnist, TrajectoryStudy cifar10, SubspaceVersusIndependentRuns subspace)
    {
        ArgumentNullException.ThrowIfNull(fashionMnist);
        ArgumentNullException.ThrowIfNull(cifar10);
        ArgumentNullException.ThrowIfNull(subspace);
        var (fm, cifar) = (fashionMnist, cifar10);
        static string F(double v) => v.ToString("F3");
        static string Size(IReadOnlyList<EnsembleSizePoint> s) => string.Join(" → ", s.Select(p => (p.Accuracy * 100).ToString("F2")));
        var nearTheta = subspace.NearBase();
        var samples = subspace.Sampling.Samples;
        return ToDataFrame(new[]
        {
            new { Quantity = "weight cosine across runs, |cos| mean / max (E1.2)", Paper = "\"entirely dissimilar\"", FashionMnist = $"{F(fm.Summary.CrossRunMeanAbsCosine)} / {F(fm.Summary.CrossRunMaxAbsCosine)}", Cifar10 = $"{F(cifar.Summary.CrossRunMeanAbsCosine)} / {F(cifar.Summary.CrossRunMaxAbsCosine)}" },
            new { Quantity = "weight cosine within a run: e0→e1 vs last two epochs (E1.1)", Paper = "\"high degree of similarity ... as it approaches convergence\"", FashionMnist = $"{F(fm.Summary.FirstStepCosine)} vs {F(fm.Summary.LastStepCosine)}", Cifar10 = $"{F(cifar.Summary.FirstStepCosine)} vs {F(cifar.Summary.LastStepCosine)}" },
            new { Quantity = "weight cosine initialisation vs final (E1.1)", Paper = "later checkpoints \"differ the most from the initial stage\"", FashionMnist = F(fm.Summary.InitFinalCosine), Cifar10 = F(cifar.Summary.InitFinalCosine) },
            new { Quantity = "disagreement within a run, last two epochs (E1.3)", Paper = "\"tend to disagree less\"", FashionMnist = F(fm.Summary.LastStepDisagreement), Cifar10 = F(cifar.Summary.LastStepDisagreement) },
            new { Quantity = "disagreement within a run, epoch 1 vs final (E1.3)", Paper = "\"high dissimilarity\" between early and late checkpoints", FashionMnist = F(fm.Summary.Epoch1FinalDisagreement), Cifar10 = F(cifar.Summary.Epoch1FinalDisagreement) },
            new { Quantity = "disagreement between final solutions of different runs (E1.3)", Paper = "\"disagree\"", FashionMnist = F(fm.Summary.CrossRunFinalDisagreement), Cifar10 = F(cifar.Summary.CrossRunFinalDisagreement) },
            new { Quantity = "t-SNE: nearest neighbour from the same run, all trained checkpoints (chance) (E1.5)", Paper = "\"different trajectories\"", FashionMnist = $"{fm.Tsne.Trained.Agreement:P0} ({fm.Tsne.Trained.Chance:P0})", Cifar10 = $"{cifar.Tsne.Trained.Agreement:P0} ({cifar.Tsne.Trained.Chance:P0})" },
            new { Quantity = "t-SNE: the same, second half of each trajectory; before t-SNE (E1.5)", Paper = "\"as one approaches convergence, they tend to cluster\"", FashionMnist = $"{fm.Tsne.SecondHalf.Agreement:P0} ({fm.Tsne.SecondHalf.Chance:P0}); {fm.Tsne.SecondHalfBeforeTsne.Agreement:P0}", Cifar10 = $"{cifar.Tsne.SecondHalf.Agreement:P0} ({cifar.Tsne.SecondHalf.Chance:P0}); {cifar.Tsne.SecondHalfBeforeTsne.Agreement:P0}" },
            new { Quantity = "t-SNE: the same, median (range) over 5 starts: PCA and 4 Gaussian (E1.5)", Paper = "(not reported)", FashionMnist = $"{fm.TsneStarts.Median:P0} ({fm.TsneStarts.Min:P0} to {fm.TsneStarts.Max:P0})", Cifar10 = $"{cifar.TsneStarts.Median:P0} ({cifar.TsneStarts.Min:P0} to {cifar.TsneStarts.Max:P0})" },
            new { Quantity = "ensemble accuracy, 1 → R members, % (E1.6)", Paper = "increases; plateaus for SmallCNN", FashionMnist = Size(fm.AccuracyBySize), Cifar10 = Size(cifar.AccuracyBySize) },
            new { Quantity = "subspace samples within 1 point of θ*'s accuracy: max disagreement with θ* vs the other runs' mean (E1.7)", Paper = "samples stay in θ*'s valley, other solutions lie in other valleys", FashionMnist = nearTheta.Count == 0 ? "no such sample" : $"{F(nearTheta.Max(s => s.DisagreementWithBase))} ({nearTheta.Count} samples) vs {F(subspace.IndependentMeanDisagreement)}", Cifar10 = "not run" },
            new { Quantity = "subspace samples as accurate and as far from θ* as some independent run (E1.7)", Paper = "none (Fort et al. Fig. 5)", FashionMnist = $"{subspace.Dominating.Count} of {samples.Count}", Cifar10 = "not run" },
            new { Quantity = "confusion matrices, run 1 vs 2: moved fraction / disagreement (E1.4)", Paper = "hard examples depend on the init", FashionMnist = "not run", Cifar10 = $"{F(cifar.FirstTwoRunsConfusion.MovedFraction)} / {F(cifar.FinalDisagreement[0, 1])}" },
        });
    }

    /// <summary>
    /// Several trajectory studies side by side, one row a named model: the summary numbers of claims 5-7 (cosine 3-4
    /// decimals, disagreement 3, t-SNE shares and accuracies in percent), the first and last ensemble size, and the
    /// confusion change from run 1 to run 2.
    /// </summary>
    public static DataFrame TrajectoryStudies(IEnumerable<(string Name, TrajectoryStudy Study)> studies)
    {
        ArgumentNullException.ThrowIfNull(studies);
        return ToDataFrame(studies.Select(b => new
        {
            Model = b.Name,
            CrossRunMaxAbsCosine = Math.Round(b.Study.Summary.CrossRunMaxAbsCosine, 3),
            LastStepCosine = Math.Round(b.Study.Summary.LastStepCosine, 4),
            LastStepDisagreement = Math.Round(b.Study.Summary.LastStepDisagreement, 3),
            CrossRunFinalDisagreement = Math.Round(b.Study.Summary.CrossRunFinalDisagreement, 3),
            TsneSecondHalfSameRun = Math.Round(b.Study.Tsne.SecondHalf.Agreement * 100, 1),
            TsneMedianOverStarts = Math.Round(b.Study.TsneStarts.Median * 100, 1),
            OneMemberAccuracy = Math.Round(b.Study.AccuracyBySize[0].Accuracy * 100, 2),
            AllMembersAccuracy = Math.Round(b.Study.AccuracyBySize[^1].Accuracy * 100, 2),
            ConfusionMovedFraction = Math.Round(b.Study.FirstTwoRunsConfusion.MovedFraction, 4),
        }));
    }

    /// <summary>
    /// Loss surfaces side by side, one row a surface: Model (its label), CentreLoss, MeanRise and RiseWithin05 (the mean
    /// rise within radius 0.5; 4 decimals), BasinArea01 / 05 / 10 (the share of the plane within 0.1, 0.5 and 1 nat of
    /// the centre; 3 decimals) and CentreAccuracyPercent (2 decimals).
    /// </summary>
    public static DataFrame LossSurfaces(IEnumerable<LossSurface> surfaces)
    {
        ArgumentNullException.ThrowIfNull(surfaces);
        return ToDataFrame(surfaces.Select(s => new
        {
            Model = s.Label,
            CentreLoss = Math.Round(s.CentreLoss, 4),
            MeanRise = Math.Round(s.MeanRise, 4),
            RiseWithin05 = Math.Round(s.RiseWithin(0.5), 4),
            BasinArea01 = Math.Round(s.BasinArea(0.1), 3),
            BasinArea05 = Math.Round(s.BasinArea(0.5), 3),
            BasinArea10 = Math.Round(s.BasinArea(1.0), 3),
            CentreAccuracyPercent = Math.Round(s.CentreAccuracy * 100, 2),
        }));
    }

    /// <summary>
    /// <see cref="DiversityMetric.ErrorOverlap"/>'s pairs with the members named: Pair ("A / B"), ErrorsA, ErrorsB,
    /// BothWrong and Jaccard (3 decimals). <paramref name="names"/> holds one name per member, in the order of the
    /// logits the pairs came from.
    /// </summary>
    public static DataFrame ErrorOverlap(IEnumerable<ErrorOverlapPair> pairs, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(names);
        var rows = pairs.ToList();
        int needed = rows.Count == 0 ? 0 : rows.Max(p => Math.Max(p.A, p.B)) + 1;
        if (names.Count < needed)
            throw new ArgumentException($"the pairs name members up to index {needed - 1}, but {names.Count} names were given.", nameof(names));
        return ToDataFrame(rows.Select(p => new
        {
            Pair = $"{names[p.A]} / {names[p.B]}",
            p.ErrorsA,
            p.ErrorsB,
            p.BothWrong,
            Jaccard = Math.Round(p.Jaccard, 3),
        }));
    }
}
