using EnsembleKit.Notebooks.Format;

namespace EnsembleKit.Notebooks.Execution;

/// <summary>The cell that stopped a run: its 1-based position among all cells, first line, and the error.</summary>
public sealed record CellFailure(int CellNumber, int CellCount, string FirstLine, string ErrorName, string ErrorMessage)
{
    public override string ToString() => $"cell {CellNumber} of {CellCount} (`{FirstLine}`) failed: {ErrorName}: {ErrorMessage}";
}

/// <summary>What a run produced: the executed notebook (outputs filled in), timing, and the failure if any.</summary>
public sealed record RunResult(Notebook Notebook, int ExecutedCells, double WallSeconds, CellFailure? Failure)
{
    public bool Succeeded => Failure is null;
}
