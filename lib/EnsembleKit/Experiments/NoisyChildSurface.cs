using EnsembleKit.Analysis;
using EnsembleKit.Data;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Experiments;

/// <summary>
/// The decision surface of one noisy child of a two-input parent (seed 002 Fig. 4.2 shows a grid of them): the child is
/// the parent with Gaussian noise of standard deviation <paramref name="Sigma"/> on a random subnetwork of mutation
/// sparsity <paramref name="Sparsity"/> (the fraction of weights left unperturbed; 0 is a dense mutation). Made by
/// <see cref="Evaluate"/>.
/// </summary>
/// <param name="Sparsity">The mutation sparsity.</param>
/// <param name="Sigma">The noise strength σ.</param>
/// <param name="Accuracy">The child's accuracy on the data, in percent.</param>
/// <param name="Surface">The child's decision surface over the data's bounds.</param>
public sealed record NoisyChildSurface(double Sparsity, double Sigma, double Accuracy, DecisionSurface Surface)
{
    /// <summary>A chart title, e.g. "Child, σ = 0.1, sparsity 0.9 (10 % of weights perturbed): 93.2 %" or "Child, σ = 0.1, dense mutation: 60.4 %".</summary>
    public string Title =>
        $"Child, σ = {Sigma}, {(Sparsity == 0 ? "dense mutation" : $"sparsity {Sparsity} ({1 - Sparsity:P0} of weights perturbed)")}: {Accuracy:F1} %";

    /// <summary>
    /// For each (sparsity, σ) of <paramref name="mutations"/>, in order: one child of <paramref name="parent"/>
    /// (<see cref="NoisySubnetwork.Children"/>, count 1, seed <paramref name="seed"/>), its accuracy on
    /// <paramref name="data"/> and its decision surface at <paramref name="resolution"/> over
    /// <see cref="DecisionSurface.Bounds"/> of <paramref name="data"/>; each child is disposed once measured.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="mutations"/> is empty.</exception>
    public static IReadOnlyList<NoisyChildSurface> Evaluate<TModel>(TModel parent, Func<TModel> create, TensorDataset data,
        IEnumerable<(double Sparsity, double Sigma)> mutations, int resolution = 80, long seed = 5) where TModel : nn.Module<Tensor, Tensor>
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(mutations);
        var settings = mutations.ToList();
        if (settings.Count == 0) throw new ArgumentException("give at least one (sparsity, sigma) mutation.", nameof(mutations));
        var box = DecisionSurface.Bounds(data);
        var surfaces = new List<NoisyChildSurface>();
        foreach (var (sparsity, sigma) in settings)
        {
            var options = new NoisySubnetworkOptions { Sigma = sigma, Mask = new MaskOptions { Sparsity = sparsity } };
            using var child = NoisySubnetwork.Children(parent, create, options, count: 1, seed: seed)[0];
            double accuracy = Predict.Accuracy(child, data) * 100;
            surfaces.Add(new NoisyChildSurface(sparsity, sigma, accuracy, DecisionSurface.Evaluate(child, box.X, box.Y, resolution: resolution)));
        }
        return surfaces;
    }
}
