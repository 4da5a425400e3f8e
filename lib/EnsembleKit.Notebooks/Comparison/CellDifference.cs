namespace EnsembleKit.Notebooks.Comparison;

/// <summary>
/// A code cell that shows something else in one run than in the other (<see cref="OutputComparison"/>).
/// </summary>
/// <param name="BeforeCell">The cell's number (1-based, over all cells, as <c>kit run</c> counts) in the first notebook; null when only the second has it.</param>
/// <param name="AfterCell">Its number in the second notebook; null when only the first has it.</param>
/// <param name="FirstLine">The first non-blank line of the cell's source (the second notebook's, when it has the cell).</param>
/// <param name="OnlyBefore">Lines that only the first run shows (as often as they appear there more than in the second).</param>
/// <param name="OnlyAfter">Lines that only the second run shows. Both empty: the same lines in another order.</param>
public sealed record CellDifference(int? BeforeCell, int? AfterCell, string FirstLine, IReadOnlyList<string> OnlyBefore, IReadOnlyList<string> OnlyAfter);
