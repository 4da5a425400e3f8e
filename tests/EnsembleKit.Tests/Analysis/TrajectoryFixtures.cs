using EnsembleKit.Diversity;
using EnsembleKit.Models;

namespace EnsembleKit.Tests;

/// <summary>Hand-made trajectories: two runs of four checkpoints (initialisation, epochs 1-3) on 5 test items, 2 classes.</summary>
public static class TrajectoryFixtures
{
    /// <summary>
    /// Run 1 puts 0.9 on class 0, run 2 on class 1, each moving by 0.02 an epoch: the runs lie far apart and each run's
    /// checkpoints close together. The models are 2-input stand-ins (only the points are read); the caller may dispose them.
    /// </summary>
    public static IReadOnlyList<TrajectoryRun> TwoRuns() =>
        [Run(firstClass: 0, accuracy: 0.6), Run(firstClass: 1, accuracy: 0.4)];

    static TrajectoryRun Run(int firstClass, double accuracy)
    {
        var points = Enumerable.Range(-1, 4).Select(epoch =>
        {
            float high = 0.9f - 0.02f * (epoch + 1);
            var probabilities = Enumerable.Range(0, 5).SelectMany(_ => firstClass == 0 ? new[] { high, 1 - high } : [1 - high, high]).ToArray();
            return new TrajectoryPoint(epoch, [1f, epoch], Enumerable.Repeat(firstClass, 5).ToArray(), probabilities, 2, accuracy + 0.1 * (epoch + 1));
        }).ToList();
        return new TrajectoryRun(new Mlp([(2, 2)]), points);
    }
}
