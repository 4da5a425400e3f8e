namespace EnsembleKit.WeightSpace;

/// <summary>Seeded standard normal numbers (Box–Muller on <see cref="System.Random"/>), identical on every platform for one seed.</summary>
internal sealed class GaussianNoise(long seed)
{
    readonly Random _random = new(unchecked((int)(seed ^ (seed >> 32))));
    double? _spare;

    public double Next()
    {
        if (_spare is { } s) { _spare = null; return s; }
        double u1 = 1.0 - _random.NextDouble(), u2 = _random.NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spare = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    public double NextUniform() => _random.NextDouble();
}
