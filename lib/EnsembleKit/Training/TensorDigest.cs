using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>
/// SHA-256 over text and tensors (dtype, shape and exact bytes, read on the CPU), shortened to 16 hex digits: enough to
/// tell two datasets or two model layouts apart, short enough to read in an error message.
/// </summary>
internal sealed class TensorDigest : IDisposable
{
    /// <summary>Hex digits kept: 64 bits.</summary>
    public const int Length = 16;

    readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public TensorDigest Add(string text)
    {
        _hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        return this;
    }

    /// <summary>Adds the tensor's dtype, shape and values; a tensor on another device is copied to the CPU first.</summary>
    public TensorDigest Add(Tensor tensor)
    {
        Add($"{tensor.dtype} [{string.Join(", ", tensor.shape)}]");
        using var scope = NewDisposeScope();
        var cpu = tensor.detach().cpu().contiguous();
        _hash.AppendData(cpu.bytes);
        return this;
    }

    /// <summary>The first <see cref="Length"/> hex digits of the SHA-256 so far.</summary>
    public string Hex() => Convert.ToHexString(_hash.GetCurrentHash()).ToLowerInvariant()[..Length];

    public void Dispose() => _hash.Dispose();
}
