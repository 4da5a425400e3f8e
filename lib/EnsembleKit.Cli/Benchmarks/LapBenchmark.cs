using System.CommandLine;
using System.Diagnostics;
using EnsembleKit.Cli.Commands;
using EnsembleKit.WeightSpace;

namespace EnsembleKit.Cli.Benchmarks;

/// <summary>
/// <c>kit bench lap</c>: the exact linear-assignment solver on seeded random n x n matrices, the size weight matching
/// solves for each hidden layer of seed 000's MLP (512 units). Target: under 100 ms for 512 x 512.
/// </summary>
public static class LapBenchmark
{
    public static Command Build()
    {
        var command = new Command("lap", "Time the linear-assignment solver on random n x n matrices.");
        var size = new Option<int>("--size") { Description = "Matrix size n.", DefaultValueFactory = _ => 512 }.AtLeast(1);
        var repeats = new Option<int>("--repeats") { Description = "Timed solves (after one warm-up).", DefaultValueFactory = _ => 5 }.AtLeast(1);
        command.Options.Add(size);
        command.Options.Add(repeats);
        command.SetAction(parse =>
        {
            int n = parse.GetValue(size), r = parse.GetValue(repeats);
            var times = new List<double>();
            double total = 0;
            for (int i = 0; i <= r; i++)
            {
                var cost = RandomMatrix(n, seed: i);
                var clock = Stopwatch.StartNew();
                var assignment = LinearAssignment.Solve(cost, maximize: true);
                if (i > 0) times.Add(clock.Elapsed.TotalMilliseconds);
                total = LinearAssignment.Total(cost, assignment);
            }
            times.Sort();
            Console.WriteLine($"linear assignment {n} x {n} (uniform random similarities, maximise), median of {r}: {times[times.Count / 2]:F1} ms (min {times[0]:F1}, max {times[^1]:F1}); last objective {total:F3}");
            return 0;
        });
        return command;
    }

    static double[,] RandomMatrix(int n, int seed)
    {
        var random = new Random(seed);
        var cost = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) cost[i, j] = random.NextDouble();
        return cost;
    }
}
