using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Experiments;

/// <summary>
/// How <see cref="NineMethods.Train"/> trains Ashukha et al.'s nine methods (seed-spec E4.3) on one task: the networks, the
/// shared recipe and what each method sets on top of it. Method i (deep ensemble, dropout network, snapshot run, FGE
/// start, SWAG, cyclic SGLD, VI) is seeded <c>FirstSeed + 100·i</c>.
/// </summary>
/// <param name="Create">A fresh network of the members' architecture (deep ensemble, snapshot, FGE, SWAG, cyclic SGLD).</param>
/// <param name="CreateWithDropout">A fresh network with dropout, for MC dropout.</param>
/// <param name="CreateVariational">A fresh mean-field network (one of the kit's, which are modules), for VI.</param>
/// <param name="Options">The recipe every network trains with (its epochs are the VI network's too).</param>
/// <param name="Members">Deep-ensemble members, snapshot cycles, FGE points and cyclic-SGLD cycles.</param>
/// <param name="Samples">Draws of the sampling methods (MC dropout, SWAG, VI, KFAC-Laplace), and cyclic-SGLD samples in all.</param>
/// <param name="CycleEpochs">Epochs of a snapshot or cyclic-SGLD cycle.</param>
/// <param name="FirstSeed">The deep ensemble's seed; the others follow in steps of 100.</param>
/// <param name="FgeHighRate">FGE's rate at the top of its 2-epoch triangular cycles.</param>
/// <param name="FgeLowRate">FGE's rate at their bottom.</param>
/// <param name="SwagRate">The constant rate SWAG collects its moments at, over the second half of its epochs.</param>
/// <param name="SgldRate">Cyclic SGLD's initial step on the mean loss: its step on the summed potential is this over N.</param>
public sealed record NineMethodsRecipe(Func<nn.Module<Tensor, Tensor>> Create, Func<nn.Module<Tensor, Tensor>> CreateWithDropout,
    Func<IMeanFieldNetwork> CreateVariational, TrainingOptions Options, int Members, int Samples, int CycleEpochs, long FirstSeed,
    double FgeHighRate, double FgeLowRate, double SwagRate, double SgldRate)
{
    /// <summary>
    /// Notebook 18's Fashion-MNIST recipe: seed 000's 784-512-10 MLP (dropout 0.2 for MC dropout, <see cref="MeanFieldMlp.Seed000"/>
    /// for VI), seeds 0-600, FGE between 0.05 and 0.0005, SWAG at 0.01, cyclic SGLD at 0.5 / N.
    /// </summary>
    public static NineMethodsRecipe FashionMnistMlp(TrainingOptions options, int members, int samples, int cycleEpochs) => new(
        () => Mlp.Seed000(), () => new Mlp([(784, 512), (512, 10)], dropoutRate: 0.2), () => MeanFieldMlp.Seed000(),
        options, members, samples, cycleEpochs, FirstSeed: 0, FgeHighRate: 0.05, FgeLowRate: 0.0005, SwagRate: 0.01, SgldRate: 0.5);

    /// <summary>
    /// Notebook 18's CIFAR-10 recipe: seed 002's LeNet-S (dropout 0.1 for MC dropout, <see cref="MeanFieldLeNet.Small"/> for
    /// VI), seeds 1000-1600, FGE between 0.025 and 0.00025, SWAG at 0.005, cyclic SGLD at 0.25 / N.
    /// </summary>
    public static NineMethodsRecipe Cifar10LeNetSmall(TrainingOptions options, int members, int samples, int cycleEpochs) => new(
        () => LeNet.Small(), () => LeNet.Small(dropoutRate: 0.1), () => MeanFieldLeNet.Small(),
        options, members, samples, cycleEpochs, FirstSeed: 1000, FgeHighRate: 0.025, FgeLowRate: 0.00025, SwagRate: 0.005, SgldRate: 0.25);
}
