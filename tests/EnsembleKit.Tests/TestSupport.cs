using EnsembleKit.Backend;
using EnsembleKit.Data;
using static TorchSharp.torch;

namespace EnsembleKit.Tests;

/// <summary>Shared fixtures: the repository root, small Fashion-MNIST subsets (temp folders: <see cref="TempFolder"/>).</summary>
public static class TestSupport
{
    /// <summary>Loads libtorch through the kit before any test touches TorchSharp directly.</summary>
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void LoadTorch() => TorchRuntime.EnsureInitialized();

    public static string RepoRoot => KitPaths.RepositoryRoot ?? throw new InvalidOperationException("tests must run inside the repository (Kit.sln not found).");

    /// <summary>The first <paramref name="count"/> Fashion-MNIST images of a split (caller disposes).</summary>
    public static TensorDataset FashionMnistSubset(bool train, long count)
    {
        TorchRuntime.EnsureInitialized();
        using var full = FashionMnist.Load(train);
        return full.Take(count);
    }

    /// <summary>The first <paramref name="count"/> Fashion-MNIST images of a split as images <c>[N, 1, 28, 28]</c>, for the
    /// convolutional models (caller disposes).</summary>
    public static TensorDataset FashionMnistImages(bool train, long count)
    {
        using var flat = FashionMnistSubset(train, count);
        return new TensorDataset(flat.Inputs.reshape(-1, 1, 28, 28).clone(), flat.Targets.clone(), flat.ClassCount, flat.Name);
    }

    /// <summary>Live tensors after collecting garbage, so that finalisers of earlier tests' tensors do not change the
    /// count inside a measured window.</summary>
    public static long LiveTensorCount()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Tensor.TotalCount;
    }

    public static Tensor Tensor2D(IReadOnlyList<IReadOnlyList<double>> rows)
    {
        TorchRuntime.EnsureInitialized();
        var flat = rows.SelectMany(r => r).ToArray();
        return tensor(flat, new long[] { rows.Count, rows[0].Count }, ScalarType.Float64);
    }
}
