using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// Corrupted test sets generated with <see cref="CorruptionCatalog"/>: per corruption name and severity a
/// <see cref="TensorDataset"/>, the same shape of API as the real <see cref="Cifar10C.Load"/>. Generation is
/// deterministic under a seed (each (corruption, severity) draws from its own stream derived from the seed), works in
/// chunks of <see cref="ChunkSize"/> images, and stores 8-bit images as the published CIFAR-10-C does
/// (<c>np.uint8</c> of the recipe's output). The clean labels are kept.
/// </summary>
public static class CorruptedDataset
{
    /// <summary>Images corrupted per call; part of the definition of a seed's output.</summary>
    public const int ChunkSize = 1000;

    /// <summary>
    /// Corrupts <paramref name="clean"/> (float32 inputs <c>[N, C, H, W]</c> in [0, 1], C = 1 or 3) in memory: inputs
    /// <c>[N, C, H, W]</c> on the 8-bit grid in [0, 1], the same targets. No cache.
    /// </summary>
    public static TensorDataset Create(TensorDataset clean, string corruption, int severity, long seed)
    {
        ArgumentNullException.ThrowIfNull(clean);
        var bytes = GenerateBytes(clean.Inputs, CorruptionCatalog.Get(corruption), severity, seed);
        using var scope = NewDisposeScope();
        var inputs = ImageTensors.FromBytes(bytes, clean.Inputs.shape);
        return new TensorDataset(inputs, clean.Targets.clone(), clean.ClassCount, $"{clean.Name} {corruption} s{severity} seed {seed}");
    }

    /// <summary>
    /// The Fashion-MNIST test set under one corruption, laid out and standardised as <see cref="Data.FashionMnist.Load"/>
    /// lays out the clean test set (so a model trained on its training split scores it directly): inputs <c>[10000, 784]</c>
    /// (or <c>[10000, 1, 28, 28]</c>) and targets <c>[10000]</c>. Cached under <c>data/fashion-mnist-c</c>.
    /// </summary>
    public static TensorDataset FashionMnist(string corruption, int severity, long seed = 0, bool flatten = true, bool standardize = true, bool useCache = true)
    {
        using var clean = Data.FashionMnist.Load(train: false, flatten: false, standardize: false);
        using var scope = NewDisposeScope();
        var x = LoadOrGenerate(CorruptionSource.FashionMnist, clean, corruption, severity, seed, useCache);
        long n = x.shape[0];
        if (standardize)
        {
            using Scalar mean = Data.FashionMnist.PixelMean, std = Data.FashionMnist.PixelStd;
            x = x.sub_(mean).div_(std);
        }
        if (flatten) x = x.reshape(n, 784);
        return new TensorDataset(x, clean.Targets.clone(), Data.FashionMnist.ClassCount, $"Fashion-MNIST test {corruption} s{severity} seed {seed}");
    }

    /// <summary>
    /// The CIFAR-10 test set under one corruption, as <see cref="Data.Cifar10.Load"/> gives the clean test set: inputs
    /// <c>[10000, 3, 32, 32]</c> in [0, 1] (standardised per channel when <paramref name="normalize"/>; unnormalised like
    /// <see cref="Cifar10C.Load"/> by default) and targets <c>[10000]</c>. Cached under <c>data/cifar-10-c-generated</c>.
    /// </summary>
    public static TensorDataset Cifar10(string corruption, int severity, long seed = 0, bool normalize = false, bool useCache = true)
    {
        using var clean = Data.Cifar10.Load(train: false);
        using var scope = NewDisposeScope();
        var x = LoadOrGenerate(CorruptionSource.Cifar10, clean, corruption, severity, seed, useCache);
        if (normalize) x = Normalize.Cifar10.Apply(x);
        return new TensorDataset(x, clean.Targets.clone(), Data.Cifar10.ClassCount, $"CIFAR-10 test {corruption} s{severity} seed {seed}");
    }

    /// <summary>
    /// Generates (or finds valid in the cache) every corruption of the catalog at every severity for
    /// <paramref name="source"/>; reports each set, counted out of all of them, on <paramref name="progress"/>. Returns the cache folder.
    /// </summary>
    public static string GenerateAll(CorruptionSource source, long seed, Action<string>? progress = null)
    {
        using var clean = source == CorruptionSource.Cifar10
            ? Data.Cifar10.Load(train: false)
            : Data.FashionMnist.Load(train: false, flatten: false, standardize: false);
        int total = CorruptionCatalog.All.Count * Corruption.Severities, done = 0;
        foreach (var corruption in CorruptionCatalog.All)
            for (int severity = 1; severity <= Corruption.Severities; severity++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                using (var scope = NewDisposeScope())
                    LoadOrGenerate(source, clean, corruption.Name, severity, seed, useCache: true);
                progress?.Invoke($"[{++done}/{total}] {corruption.Name} s{severity}: {clock.Elapsed.TotalSeconds:F1} s");
            }
        return CorruptionCache.FindFolder(source) ?? DataFolders.DownloadTarget(source.FolderName);
    }

    /// <summary>Whether any set of <paramref name="source"/> is cached, for <c>kit data list</c>.</summary>
    public static DatasetStatus Status(CorruptionSource source) =>
        new(source.Name, CorruptionCache.FindFolder(source),
            $"run 'kit data generate {source.Aliases[0]} --seed 0' (the CIFAR-10-C recipe's corruptions except frost, 5 severities, " +
            $"from the {(source == CorruptionSource.Cifar10 ? "CIFAR-10" : "Fashion-MNIST")} test set).");

    public static DatasetStatus FashionMnistStatus() => Status(CorruptionSource.FashionMnist);

    public static DatasetStatus Cifar10Status() => Status(CorruptionSource.Cifar10);

    /// <summary>Corrupted inputs <c>[N, C, H, W]</c> in [0, 1] (in the caller's dispose scope), from the cache or generated and cached.</summary>
    static Tensor LoadOrGenerate(CorruptionSource source, TensorDataset clean, string corruption, int severity, long seed, bool useCache)
    {
        var chosen = CorruptionCatalog.Get(corruption);
        if (severity is < 1 or > Corruption.Severities)
            throw new ArgumentOutOfRangeException(nameof(severity), $"severity must be 1 to {Corruption.Severities}; got {severity}.");
        var shape = clean.Inputs.shape;
        var bytes = useCache ? CorruptionCache.TryRead(source, chosen.Name, severity, seed, shape) : null;
        if (bytes is null)
        {
            bytes = GenerateBytes(clean.Inputs, chosen, severity, seed);
            if (useCache) CorruptionCache.Write(source, chosen.Name, severity, seed, shape, bytes);
        }
        return ImageTensors.FromBytes(bytes, shape);
    }

    /// <summary>The corrupted images as 8-bit values <c>[N, C, H, W]</c>, chunk by chunk from one seeded stream.</summary>
    internal static byte[] GenerateBytes(Tensor images, ICorruption corruption, int severity, long seed)
    {
        TorchRuntime.EnsureInitialized();
        if (images.dim() != 4)
            throw new ArgumentException($"images must be [N, C, H, W]; got [{string.Join(", ", images.shape)}].", nameof(images));
        if (severity is < 1 or > Corruption.Severities)
            throw new ArgumentOutOfRangeException(nameof(severity), $"severity must be 1 to {Corruption.Severities}; got {severity}.");
        long n = images.shape[0], perImage = images.shape[1] * images.shape[2] * images.shape[3];
        var output = new byte[n * perImage];
        using var generator = new Generator(StreamSeed(seed, corruption.Name, severity));
        using Scalar zero = 0, maxLevel = 255, nudge = 1e-3;
        for (long start = 0; start < n; start += ChunkSize)
        {
            long count = Math.Min(ChunkSize, n - start);
            WithoutCollections(() =>
            {
                using var scope = NewDisposeScope();
                var corrupted = corruption.Apply(images.narrow(0, start, count).cpu(), severity, generator);
                // np.uint8(...) truncates; the small offset keeps values already on the 8-bit grid (k / 255 in float32) at k.
                var levels = corrupted.mul(maxLevel).add(nudge).floor().clamp(zero, maxLevel).to(ScalarType.Byte).contiguous();
                levels.bytes.CopyTo(output.AsSpan((int)(start * perImage), (int)(count * perImage)));
            });
        }
        return output;
    }

    /// <summary>
    /// Runs <paramref name="work"/> with garbage collection held off where the runtime allows it. Why: TorchSharp 0.107
    /// can free a <c>Scalar</c> libtorch is still reading (README, Platform notes; Backend/ScalarLifetimeTests.cs) when a
    /// collection runs on another thread mid-call. Generating a corrupted set makes hundreds of thousands of such calls
    /// between large allocations that start background collections: without this guard 3 of 3 runs of
    /// <c>kit data generate fmnist-c</c> stopped with "Expected false to be true ... toDouble" or "alpha must not be a
    /// floating point number" in a plain tensor addition; with it 2 of 2 completed.
    /// </summary>
    static void WithoutCollections(Action work)
    {
        bool held = false;
        foreach (long budget in new[] { 256L << 20, 64L << 20 })
        {
            try
            {
                held = GC.TryStartNoGCRegion(budget);
                break;
            }
            catch (ArgumentOutOfRangeException)
            {
                // Budget larger than this runtime allows: try the smaller one.
            }
            catch (InvalidOperationException)
            {
                break;   // already inside a no-GC region
            }
        }
        try
        {
            work();
        }
        finally
        {
            // The region ends by itself when the work allocates more than the budget; only end one still open.
            if (held && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        }
    }

    /// <summary>The generator seed of one (corruption, severity) under <paramref name="seed"/>: SplitMix64 of the three.</summary>
    internal static ulong StreamSeed(long seed, string corruption, int severity)
    {
        ulong index = (ulong)Array.IndexOf(Cifar10C.Corruptions, corruption);
        ulong z = (ulong)seed * 0x9E3779B97F4A7C15UL + index * 0xBF58476D1CE4E5B9UL + (ulong)severity * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (z ^ (z >> 31)) & 0x7FFFFFFFFFFFFFFFUL;
    }
}
