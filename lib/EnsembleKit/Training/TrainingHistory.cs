using System.Globalization;
using System.Text;

namespace EnsembleKit.Training;

/// <summary>What one epoch did: mean training loss, the learning rate it started with, wall time.</summary>
public sealed record EpochRecord(int Epoch, double Loss, double LearningRate, double Seconds);

/// <summary>Per-epoch records of one training run.</summary>
public sealed class TrainingHistory
{
    readonly List<EpochRecord> _epochs = [];
    public IReadOnlyList<EpochRecord> Epochs => _epochs;
    public string Label { get; }

    public TrainingHistory(string label) => Label = label;

    public void Add(EpochRecord record) => _epochs.Add(record);

    public double TotalSeconds => _epochs.Sum(e => e.Seconds);

    public string ToCsv()
    {
        var sb = new StringBuilder("epoch,loss,learning_rate,seconds\n");
        foreach (var e in _epochs)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{e.Epoch},{e.Loss:R},{e.LearningRate:R},{e.Seconds:R}"));
        return sb.ToString();
    }

    public static TrainingHistory FromCsv(string label, string csv)
    {
        var history = new TrainingHistory(label);
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var f = line.Split(',');
            history.Add(new EpochRecord(int.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture),
                double.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture)));
        }
        return history;
    }
}
