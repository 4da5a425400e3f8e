using EnsembleKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// Stochastic Subnetwork Ensembles (seed 002 ch. 6, Algorithm 3): like <see cref="SparseSubnetworkEnsemble"/>, but each
/// child is tuned through a probability mask sampled by Bernoulli draws on every forward pass and annealed to its
/// target subnetwork (<see cref="StochasticSubnetwork"/>). Default method: seed 002's benchmark, temperature annealing
/// with τ₀ = 0.5, cosine to 0 over 3 epochs (<see cref="SubnetworkTuningOptions.TemperatureBenchmark"/>); use NP pairs
/// at 50 % sparsity and the one-cycle tuning for Table 6.2's setting.
/// </summary>
public static class StochasticSubnetworkEnsemble
{
    /// <summary>Options for Algorithm 3: <paramref name="options"/> with the benchmark's temperature annealing unless it already names an annealing method.</summary>
    public static SparseSubnetworkOptions WithAnnealing(SparseSubnetworkOptions options) =>
        options.Method.Method is PruningMethod.RandomAnnealing or PruningMethod.TemperatureAnnealing
            ? options
            : options with { Method = SubnetworkTuningOptions.TemperatureBenchmark };

    public static SubnetworkEnsemble<TModel> Train<TModel>(TModel parent, Func<TModel> create, TensorDataset train, SparseSubnetworkOptions options)
        where TModel : nn.Module<Tensor, Tensor> =>
        SparseSubnetworkEnsemble.Train(parent, create, train, WithAnnealing(options));
}
