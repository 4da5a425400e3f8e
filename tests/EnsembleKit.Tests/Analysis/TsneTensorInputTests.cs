using EnsembleKit.Analysis;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Analysis;

public class TsneTensorInputTests
{
    [Fact]
    public void ATensorGivesTheSameEmbeddingAsItsRowsAsDoubles()
    {
        TestSupport.LoadTorch();
        var rows = TsneFixtures.Random(40, 3, seed: 2);
        using var data = TestSupport.Tensor2D(Enumerable.Range(0, 40).Select(i => (IReadOnlyList<double>)Enumerable.Range(0, 3).Select(j => rows[i, j]).ToList()).ToList());
        var options = new TsneOptions { Perplexity = 5, Iterations = 300, Seed = 1 };
        var fromTensor = Tsne.Run(data, options).Embedding;
        var fromArray = Tsne.Run(rows, options).Embedding;
        Assert.Equal(fromArray.Cast<double>(), fromTensor.Cast<double>());
    }

    [Fact]
    public void OnlyRowsAreAccepted()
    {
        TestSupport.LoadTorch();
        using var flat = zeros(10);
        Assert.Throws<ArgumentException>(() => Tsne.Run(flat));
        Assert.Throws<ArgumentNullException>(() => Tsne.Run((Tensor)null!));
    }
}
