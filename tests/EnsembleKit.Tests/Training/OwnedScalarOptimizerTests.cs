using EnsembleKit.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Training;

/// <summary>
/// The kit's optimisers (owned scalars, see <see cref="EnsembleKit.Training.Optimizers.SGD"/>) make exactly TorchSharp's updates, bit for bit,
/// so every committed number trained before the change stays what it was.
/// </summary>
public class OwnedScalarOptimizerTests
{
    /// <summary>Two identical small models, a fixed batch, and <paramref name="steps"/> steps of each optimiser; returns the max |Δ| of the weights.</summary>
    static double MaxDifferenceAfterSteps(Func<IList<Parameter>, OptimizerHelper> reference, Func<IList<Parameter>, OptimizerHelper> ours, int steps = 6)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var a = nn.Sequential(nn.Linear(5, 7), nn.Tanh(), nn.Linear(7, 3));
        var b = nn.Sequential(nn.Linear(5, 7), nn.Tanh(), nn.Linear(7, 3));
        b.load_state_dict(a.state_dict());
        var inputs = randn(16, 5, generator: new Generator(3));
        var targets = randint(0, 3, [16], generator: new Generator(4));
        using var optA = reference(a.parameters().ToList());
        using var optB = ours(b.parameters().ToList());
        for (int step = 0; step < steps; step++)
        {
            // The rate changes mid-run, as schedules do.
            if (step == 3) { Trainer.SetRate(optA, 0.03); Trainer.SetRate(optB, 0.03); }
            foreach (var (model, opt) in new[] { (a, optA), (b, optB) })
            {
                opt.zero_grad();
                nn.functional.cross_entropy(model.forward(inputs), targets).backward();
                opt.step();
            }
        }
        return a.parameters().Zip(b.parameters(), (p, q) => (p - q).abs().max().item<float>()).Max();
    }

    [Theory]
    [InlineData(0.0, 0.0, false)]
    [InlineData(0.9, 0.0, false)]
    [InlineData(0.9, 5e-4, false)]
    [InlineData(0.9, 5e-4, true)]
    [InlineData(0.0, 1e-3, false)]
    public void SgdMatchesTorchSharpBitForBit(double momentum, double weightDecay, bool nesterov)
    {
        double difference = MaxDifferenceAfterSteps(
            p => optim.SGD(p, 0.1, momentum: momentum, weight_decay: weightDecay, nesterov: nesterov),
            p => new EnsembleKit.Training.Optimizers.SGD(p, 0.1, momentum, weightDecay, nesterov));
        Assert.Equal(0.0, difference);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-4)]
    public void AdamMatchesTorchSharpBitForBit(double weightDecay)
    {
        double difference = MaxDifferenceAfterSteps(
            p => optim.Adam(p, 0.01, weight_decay: weightDecay),
            p => new EnsembleKit.Training.Optimizers.Adam(p, 0.01, weightDecay));
        Assert.Equal(0.0, difference);
    }

    [Fact]
    public void TheUpdatesActuallyMoveTheWeights()
    {
        // Guards the comparison above: a step that did nothing on both sides would also give 0.
        using var scope = NewDisposeScope();
        var model = nn.Linear(4, 2);
        var before = model.weight!.detach().clone();
        using var opt = new EnsembleKit.Training.Optimizers.SGD(model.parameters().ToList(), 0.5, 0.9, 0, nesterov: true);
        for (int i = 0; i < 2; i++)
        {
            opt.zero_grad();
            model.forward(ones(3, 4)).sum().backward();
            opt.step();
        }
        // d(sum)/dW = 3 for every weight: step 1 moves by 0.5·(3 + 0.9·3) = 2.85, step 2 by 0.5·(3 + 0.9·(0.9·3 + 3)) = 4.065.
        var moved = (before - model.weight!).mean().item<float>();
        Assert.Equal(2.85 + 4.065, moved, 4);
    }

    [Fact]
    public void TheTrainerAsksForTheKitsOptimisers()
    {
        using var model = nn.Linear(2, 2);
        var parameters = model.parameters().ToList();
        using var sgd = Trainer.CreateOptimizer(new TrainingOptions { Momentum = 0.9 }, parameters);
        using var adam = Trainer.CreateOptimizer(new TrainingOptions { Optimizer = OptimizerKind.Adam }, parameters);
        Assert.IsType<EnsembleKit.Training.Optimizers.SGD>(sgd);
        Assert.IsType<EnsembleKit.Training.Optimizers.Adam>(adam);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SavedStatesAreInterchangeableWithTorchSharpsOptimisers(bool fromTorchSharp)
    {
        // TorchSharp writes the optimiser's type name into a saved state and refuses another name: checkpoints written
        // with TorchSharp's SGD (every one before the kit had its own) must resume, and the other way round.
        using var scope = NewDisposeScope();
        var model = nn.Linear(3, 2);
        using OptimizerHelper theirs = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        using OptimizerHelper ours = new EnsembleKit.Training.Optimizers.SGD(model.parameters().ToList(), 0.1, 0.9, 0, false);
        var (writer, reader) = fromTorchSharp ? (theirs, ours) : (ours, theirs);
        writer.zero_grad();
        model.forward(ones(4, 3)).sum().backward();
        writer.step();
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) writer.save_state_dict(w);
        stream.Position = 0;
        using var r = new BinaryReader(stream);
        reader.load_state_dict(r);
        // d(sum)/dW = 4 for every weight, so after one step the momentum buffer is the gradient itself.
        var loaded = reader.state_dict().State.Cast<TorchSharp.Modules.SGD.State>().ToList();
        Assert.Equal(2, loaded.Count);
        Assert.True(loaded[0].momentum_buffer.eq(4).all().item<bool>());
    }
}
