namespace EnsembleKit.Tests.Analysis;

/// <summary>Seeded point sets for the t-SNE and trustworthiness tests.</summary>
internal static class TsneFixtures
{
    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>[n, d] standard normal points.</summary>
    public static double[,] Random(int n, int d, int seed)
    {
        var random = new Random(seed);
        var x = new double[n, d];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < d; a++) x[i, a] = Normal(random);
        return x;
    }

    /// <summary>
    /// <paramref name="clusters"/> unit-variance Gaussians of <paramref name="perCluster"/> points in <paramref name="d"/>
    /// dims, centre c at <paramref name="separation"/> · e_c (so centres are separation·√2 apart); labels = cluster.
    /// </summary>
    public static (double[,] Data, int[] Labels) Clusters(int clusters, int perCluster, int d, double separation, int seed)
    {
        var random = new Random(seed);
        int n = clusters * perCluster;
        var x = new double[n, d];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % clusters;
            for (int a = 0; a < d; a++) x[i, a] = Normal(random) + (a == labels[i] ? separation : 0);
        }
        return (x, labels);
    }

    public static double[] Flat(double[,] x)
    {
        var flat = new double[x.Length];
        Buffer.BlockCopy(x, 0, flat, 0, x.Length * sizeof(double));
        return flat;
    }
}
