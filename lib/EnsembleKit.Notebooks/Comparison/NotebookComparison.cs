namespace EnsembleKit.Notebooks.Comparison;

/// <summary>What <see cref="OutputComparison.Compare"/> found: how many code cells it compared and which differ.</summary>
/// <param name="ComparedCells">Code cells compared (parameter cells aside), counting those only one notebook has.</param>
/// <param name="PairedById">True when cells were paired by their ids, false when by their order.</param>
/// <param name="Differences">The cells that show something else, in the second notebook's order.</param>
/// <param name="BeforeThreads">libtorch's thread count in the first run (<c>metadata.ensemblekit.threads</c>, which <c>kit run</c> records), or null.</param>
/// <param name="AfterThreads">The same for the second run.</param>
public sealed record NotebookComparison(int ComparedCells, bool PairedById, IReadOnlyList<CellDifference> Differences, int? BeforeThreads = null,
    int? AfterThreads = null)
{
    /// <summary>
    /// Both runs say how many threads they used, and the counts differ: libtorch then sums in another order, and the
    /// last digits may differ although nothing else changed.
    /// </summary>
    public bool ThreadsDiffer => BeforeThreads is int b && AfterThreads is int a && a != b;

    /// <summary>Every compared cell shows the same lines.</summary>
    public bool Same => Differences.Count == 0;
}
