namespace EnsembleKit.Experiments;

/// <summary>
/// The 25 headline claims of seed-spec §4 ("Headline claims a reproduction should check"), transcribed with every number
/// the section gives (tests/reference/seed-spec-claims.md is the section's text; the tests check each number against it).
/// </summary>
public static class ClaimCatalog
{
    /// <summary>Claims 1-25 in order.</summary>
    public static IReadOnlyList<CatalogClaim> All { get; } =
    [
        new(1, "S0", "Deep ensemble of the 3 MLPs beats every member", "88.54 vs members 87.97 / 84.28 / 87.30"),
        new(2, "S0", "KD student (α = 0.5, T = 3, teacher = the 3-MLP ensemble) beats the ensemble (S0 notes ensembles usually win, especially for larger M)",
            "student 88.81 vs ensemble 88.54"),
        new(3, "S0", "Naive weight averaging collapses below the worst member and gets worse as M grows",
            "76.06 < worst member 84.28; toward ~10 % as M grows"),
        new(4, "S0", "PermAVG (learned DSMs) recovers much of the gap to the ensemble (hypothesis)", "no number"),
        new(5, "S1", "Independently initialised runs have near-zero weight cosine; one run's checkpoints become highly similar near convergence",
            "no number"),
        new(6, "S1", "Disagreement is small within a trajectory and large across inits; t-SNE shows separate trajectories", "no number"),
        new(7, "S1", "Ensemble accuracy rises with size and saturates (earlier for a small CNN)", "no number"),
        new(8, "S2", "Sparse mutations tolerate larger noise than dense ones (spiral, WRN); KL vs accuracy drop ≈ linear; member accuracy degrades beyond a KL threshold; averaging beats voting at strong mutation",
            "KL ≈ 0.02–0.05"),
        new(9, "S2", "Noisy subnetwork ensembles (16 candidates, top 8) improve every ImageNet model without training (ECE not improved for VGG-16)",
            "+0.02 to +0.41 accuracy points (Table 4.1)"),
        new(10, "S2", "ProcGen: noisy subnetwork ensembles raise the mean score and are better on most games (worse on Coinrun, Maze, Miner)",
            "mean score 8.58 → 11.69; better on 13 of 16 games"),
        new(11, "S2", "SSE: accuracy rises with child sparsity up to a critical level; bigger parents tolerate more; connection pruning ≥ neuron pruning; ensemble accuracy grows monotonically with size with falling variance; NP + one-cycle is the best of R/NP × FT/1C",
            "pruning kinds equal up to 50 %; monotonic from 4 to 128 members"),
        new(12, "S2", "Small budget (16 epochs): SSE (NP) beats independent, dropout and bagging on every model/dataset",
            "LeNet-L CIFAR-10 75.75 vs 70.29; ResNet-18 CIFAR-100 57.26 vs 49.26"),
        new(13, "S2", "WRN-28-10, 200 epochs: SSE (M=6, 0.85× FLOPs) beats Snapshot and FGE, ties the dense ensemble (M=4, 800 epochs) on CIFAR-100, has the lowest ECE and best cECE among low-cost methods; stochastic annealing improves further",
            "SSE 96.5 / 82.7 vs Snapshot 96.3 / 82.1, FGE 96.3 / 82.3; dense ensemble 82.7; ECE 0.005 / 0.013; annealing 96.7 / 83.1"),
        new(14, "S2", "Partitions 1/2 → 1/3 cost little, 1/6 costs more", "96.5 → 96.4; 1/6: 95.1"),
        new(15, "S2", "Stochastic annealing beats one-shot and iterative pruning at every sparsity; best ε = 5–10 epochs, τ₀ = 0.4–0.6",
            "98 % random sparsity: +6.2 points (constant LR 0.463 vs 0.401), +4.0 (one-cycle 0.533 vs 0.493); magnitude pruning +2.4 / +1.1"),
        new(16, "S2", "Diversity: SSE has the highest disagreement among listed methods and the second-highest KL (after DST); NP lowers pairwise correlation; bagged children are more diverse but less accurate",
            "disagreement 0.036; KL 0.090 (DST 0.095); correlation 0.884 vs 0.893; bagged 0.868, accuracy 0.839"),
        new(17, "S2", "Feature-visualisation and saliency hash distances between SSE siblings exceed those between snapshot checkpoints for every hash",
            "colour hash 32.74 vs 27.56; saliency pHash 19.95 vs 18.12"),
        new(18, "S2", "Tuned sparse children land in wide, flat basins", "no number (landscape figure)"),
        new(19, "S3", "Ensembles of independently trained nets beat single models, and training Σf directly does not match the gain",
            "ResNet-28-10 CIFAR-100 84.69 vs 81.51 ± 0.16; Σf 81.83"),
        new(20, "S3", "KD recovers most of the gain; self-distillation also helps", "KD 83.81; self-distillation 83.56"),
        new(21, "S3", "For NTK/GP kernel models training Σf directly beats the ensemble, KD stays near single-model accuracy far below the ensemble, self-distillation is generally no better than a single model",
            "Σf 69.37 vs ensemble 67.38; KD 64.63 vs 67.38"),
        new(22, "S3", "On Gaussian-like synthetic data, ensembling does not improve accuracy", "no number"),
        new(23, "S3", "Collapsing input channels hurts single models more than ensembles (multi-view evidence)", "no number"),
        new(24, "S4", "Snapshot Ensembles lower error vs single models at equal training cost; FGE ≤ SSE ≤ Ind at 1B budget on all three nets",
            "DenseNet-100 C100 17.41 vs 19.25"),
        new(25, "S4", "For k ≥ 5 members/samples, deep ensembles have the lowest (or tied-lowest) error and calibrated NLL in all four Ashukha blocks; snapshot ensembles / cSGLD approach them only at ~100 samples; MC dropout barely improves with more samples; DEE is the proposed reporting unit",
            "no number beyond k ≥ 5 and ~100 samples"),
    ];

    /// <summary>The claim numbered <paramref name="id"/> in seed-spec §4.</summary>
    public static CatalogClaim Get(int id) => id >= 1 && id <= All.Count
        ? All[id - 1]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"claim id is {id}; seed-spec §4 numbers its claims 1-{All.Count}.");
}
