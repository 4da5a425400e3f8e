namespace EnsembleKit.Diversity;

/// <summary>
/// Seed 001's numbers for <c>R</c> runs each recorded over <c>E</c> epochs (checkpoints 0 = initialisation to E, runs
/// concatenated run-major, as <see cref="TrajectoryMatrices"/> takes them): weight cosine across runs (mean and max of
/// |cos| over every pair of checkpoints from different runs), within a run (first step, last step, initialisation to
/// final; each the mean over runs), prediction disagreement within a run (last step; epoch 1 to final) and between the
/// final solutions of different runs (mean over ordered pairs).
/// </summary>
public sealed record TrajectorySummary(double CrossRunMeanAbsCosine, double CrossRunMaxAbsCosine, double FirstStepCosine,
    double LastStepCosine, double InitFinalCosine, double LastStepDisagreement, double Epoch1FinalDisagreement,
    double CrossRunFinalDisagreement)
{
    /// <summary>
    /// The summary of <paramref name="cosine"/> and <paramref name="disagreement"/> (<c>[R·(E+1), R·(E+1)]</c>, from
    /// <see cref="TrajectoryMatrices.WeightCosine"/> and <see cref="TrajectoryMatrices.Disagreement"/>) and
    /// <paramref name="finalDisagreement"/> (<c>[R, R]</c>, the final models', e.g. <see cref="DiversityMetric.DisagreementMatrix"/>).
    /// </summary>
    public static TrajectorySummary Of(double[,] cosine, double[,] disagreement, double[,] finalDisagreement, int runs, int epochs)
    {
        ArgumentNullException.ThrowIfNull(cosine);
        ArgumentNullException.ThrowIfNull(disagreement);
        ArgumentNullException.ThrowIfNull(finalDisagreement);
        if (runs < 2) throw new ArgumentOutOfRangeException(nameof(runs), $"cross-run numbers need at least 2 runs; got {runs}.");
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), $"a trajectory needs at least 1 epoch; got {epochs}.");
        int per = epochs + 1, points = runs * per;
        RequireSquare(cosine, points, nameof(cosine), runs, epochs);
        RequireSquare(disagreement, points, nameof(disagreement), runs, epochs);
        if (finalDisagreement.GetLength(0) != runs || finalDisagreement.GetLength(1) != runs)
            throw new ArgumentException($"finalDisagreement must be [{runs}, {runs}]; got [{finalDisagreement.GetLength(0)}, {finalDisagreement.GetLength(1)}].", nameof(finalDisagreement));

        var across = new List<double>();
        for (int i = 0; i < points; i++)
            for (int j = 0; j < points; j++)
                if (i / per != j / per) across.Add(Math.Abs(cosine[i, j]));
        double MeanOverRuns(double[,] m, int a, int b) => Enumerable.Range(0, runs).Average(r => m[r * per + a, r * per + b]);
        return new TrajectorySummary(across.Average(), across.Max(), MeanOverRuns(cosine, 0, 1), MeanOverRuns(cosine, epochs - 1, epochs),
            MeanOverRuns(cosine, 0, epochs), MeanOverRuns(disagreement, epochs - 1, epochs), MeanOverRuns(disagreement, 1, epochs),
            PairwiseSummary.Of(finalDisagreement).Mean);
    }

    static void RequireSquare(double[,] matrix, int points, string name, int runs, int epochs)
    {
        if (matrix.GetLength(0) != points || matrix.GetLength(1) != points)
            throw new ArgumentException($"{name} must be [{points}, {points}] ({runs} runs x {epochs + 1} checkpoints); got [{matrix.GetLength(0)}, {matrix.GetLength(1)}].", name);
    }
}
