using System.CommandLine;
using System.Diagnostics;
using EnsembleKit.Analysis;
using EnsembleKit.Cli.Commands;

namespace EnsembleKit.Cli.Benchmarks;

/// <summary>
/// <c>kit bench tsne</c>: Barnes-Hut t-SNE of a seeded mixture of 10 Gaussians (default 6,000 points × 10 dims,
/// 1000 iterations); prints the wall time (affinities + optimisation), the final KL divergence and the
/// trustworthiness (k = 12) of the embedding, and the nearest-neighbour agreement of the mixture labels.
/// </summary>
public static class TsneBenchmark
{
    public static Command Build()
    {
        var command = new Command("tsne", "Time Barnes-Hut t-SNE on a mixture of Gaussians.");
        var points = new Option<int>("--points") { DefaultValueFactory = _ => 6000 }.AtLeast(1);
        var dims = new Option<int>("--dims") { DefaultValueFactory = _ => 10 }.AtLeast(1);
        var iterations = new Option<int>("--iterations") { DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var method = new Option<TsneMethod>("--method") { DefaultValueFactory = _ => TsneMethod.BarnesHut };
        var theta = new Option<double>("--theta") { DefaultValueFactory = _ => new TsneOptions().Theta }.AtLeast(0.0);
        var seed = Commands.CommonOptions.Seed();
        command.Options.Add(points);
        command.Options.Add(dims);
        command.Options.Add(iterations);
        command.Options.Add(method);
        command.Options.Add(theta);
        command.Options.Add(seed);
        command.SetAction(parse =>
        {
            int n = parse.GetValue(points), d = parse.GetValue(dims);
            var (data, labels) = GaussianMixture(n, d, 10, parse.GetValue(seed));
            var options = new TsneOptions { Iterations = parse.GetValue(iterations), Method = parse.GetValue(method), Theta = parse.GetValue(theta), Seed = parse.GetValue(seed) };
            var clock = Stopwatch.StartNew();
            var result = Tsne.Run(data, options);
            double seconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            double trust = Trustworthiness.Score(data, result.Embedding, 12);
            double trustSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"t-SNE {result.Method}, {n} points x {d} dims (10 Gaussians), {options.Iterations} iterations, perplexity {options.Perplexity}, theta {options.Theta}, {Environment.ProcessorCount} cores");
            Console.WriteLine($"  wall time           {seconds:F2} s");
            Console.WriteLine($"  final KL            {result.KlDivergence:F4}");
            Console.WriteLine($"  trustworthiness@12  {trust:F4} ({trustSeconds:F2} s)");
            Console.WriteLine($"  1-NN label agreement {NeighbourAgreement(result.Embedding, labels):F4}");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// <paramref name="n"/> points in <paramref name="d"/> dims from <paramref name="components"/> unit-variance
    /// Gaussians whose centres are drawn from N(0, 5²) per coordinate; point i belongs to component i mod components.
    /// </summary>
    public static (double[,] Data, int[] Labels) GaussianMixture(int n, int d, int components, long seed)
    {
        var random = new Random(unchecked((int)seed));
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var centres = new double[components, d];
        for (int c = 0; c < components; c++)
            for (int a = 0; a < d; a++) centres[c, a] = 5 * Normal();
        var data = new double[n, d];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % components;
            for (int a = 0; a < d; a++) data[i, a] = centres[labels[i], a] + Normal();
        }
        return (data, labels);
    }

    /// <summary>Fraction of points whose nearest other point in <paramref name="embedding"/> has the same label.</summary>
    public static double NeighbourAgreement(double[,] embedding, int[] labels)
    {
        int n = embedding.GetLength(0), e = embedding.GetLength(1), same = 0;
        for (int i = 0; i < n; i++)
        {
            int best = -1;
            double bestDistance = double.PositiveInfinity;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double s = 0;
                for (int a = 0; a < e; a++) s += (embedding[i, a] - embedding[j, a]) * (embedding[i, a] - embedding[j, a]);
                if (s < bestDistance) { bestDistance = s; best = j; }
            }
            if (labels[best] == labels[i]) same++;
        }
        return (double)same / n;
    }
}
