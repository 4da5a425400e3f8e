using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Backend;

/// <summary>
/// Random draws from a seeded <see cref="Generator"/> onto any device. TorchSharp 0.107 makes every generator a CPU one
/// (its native <c>THSGenerator_new</c> ignores the device it is given), and libtorch's CUDA kernels cannot draw from a CPU
/// generator (on an H200 the kit's training crashed the process there). So the kit draws on the CPU and copies the result to
/// the device: on the CPU exactly the draw it made before, and on a GPU the same numbers, so a seed means the same batch
/// order, masks and crops on every device.
/// </summary>
internal static class SeededDraws
{
    /// <summary><c>randperm(n)</c> from <paramref name="generator"/>, on <paramref name="device"/>.</summary>
    public static Tensor Permutation(long n, Generator generator, Device device) =>
        OnDevice(randperm(n, generator: generator), device);

    /// <summary>A tensor of <paramref name="shape"/> whose entries are 1 with probability <paramref name="p"/>, else 0.</summary>
    public static Tensor Bernoulli(long[] shape, double p, ScalarType dtype, Device device, Generator generator)
    {
        var mask = empty(shape, dtype: dtype);
        mask.bernoulli_(p, generator: generator);
        return OnDevice(mask, device);
    }

    /// <summary>Entry-wise Bernoulli draws with the given probabilities (any device), on their device.</summary>
    public static Tensor Bernoulli(Tensor probabilities, Generator generator)
    {
        if (probabilities.device_type == DeviceType.CPU) return bernoulli(probabilities, generator: generator);
        using var onCpu = probabilities.cpu();
        return OnDevice(bernoulli(onCpu, generator: generator), probabilities.device);
    }

    /// <summary>Standard normal draws of <paramref name="shape"/>.</summary>
    public static Tensor Normal(long[] shape, ScalarType dtype, Device device, Generator generator) =>
        OnDevice(randn(shape, dtype: dtype, generator: generator), device);

    /// <summary>Uniform draws in [0, 1) of <paramref name="shape"/>.</summary>
    public static Tensor Uniform(long[] shape, ScalarType dtype, Device device, Generator generator) =>
        OnDevice(rand(shape, dtype: dtype, generator: generator), device);

    /// <summary>Integers uniform in [<paramref name="low"/>, <paramref name="high"/>) of <paramref name="shape"/> (int64).</summary>
    public static Tensor Integers(long low, long high, long[] shape, Device device, Generator generator) =>
        OnDevice(randint(low, high, shape, ScalarType.Int64, generator: generator), device);

    /// <summary><paramref name="cpu"/> itself on the CPU, else a copy on <paramref name="device"/> (the CPU tensor disposed).</summary>
    static Tensor OnDevice(Tensor cpu, Device device)
    {
        if (device.type == DeviceType.CPU) return cpu;
        using (cpu) return cpu.to(device);
    }
}
