namespace EnsembleKit.Training;

/// <summary>Scores after epoch <paramref name="Epoch"/> (0-based): accuracy in [0, 1] and mean NLL.</summary>
public sealed record EvaluationRecord(int Epoch, double Accuracy, double Nll);
