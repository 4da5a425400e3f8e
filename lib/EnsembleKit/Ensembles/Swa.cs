using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// Stochastic weight averaging (Izmailov et al. 2018): train with <see cref="SwaSchedule"/>, keep a running average
/// of the weights at the end of every epoch from the schedule's start epoch, <c>w_swa = (n w_swa + w)/(n + 1)</c>,
/// then recompute batch-norm statistics for the averaged weights. The trained model itself ends as the final SGD iterate.
/// With a checkpoint path the average is saved beside the checkpoint after every epoch it takes in
/// (<c>{path}.swa-average-epoch{E}</c>, the last two kept), so a resumed run continues it.
/// </summary>
public static class Swa
{
    /// <summary>
    /// Result: the averaged model, how many epochs were averaged, the history. As an <see cref="IEnsemble"/> it is a
    /// one-member ensemble of the averaged model, so SWA is scored like every other method; disposing it disposes the model.
    /// </summary>
    public sealed record Result<TModel>(TModel Averaged, int AveragedEpochs, TrainingHistory History) : IEnsemble where TModel : nn.Module<Tensor, Tensor>
    {
        public string Method => "SWA";
        public int Count => 1;
        public CombinationRule Rule => CombinationRule.MeanProbabilities;

        public Tensor MemberLogits(TensorDataset data, int batchSize = 1000) => Predict.MemberLogits([Averaged], data, batchSize);

        public IReadOnlyList<WeightSnapshot> MemberStates() => [WeightSnapshot.Of(Averaged, "SWA average")];

        public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["averaged epochs"] = AveragedEpochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        public void Dispose() => Averaged.Dispose();
    }

    public static Result<TModel> Train<TModel>(TModel model, Func<TModel> create, TensorDataset train, TrainingOptions options, SwaSchedule schedule)
        where TModel : nn.Module<Tensor, Tensor>
    {
        TorchRuntime.EnsureInitialized();
        int start = schedule.StartEpoch(options.Epochs);
        if (start >= options.Epochs)
            throw new ArgumentException($"SWA would start at epoch {start + 1} of {options.Epochs}: nothing to average.", nameof(schedule));
        using var averager = new RunningAverage(start, options.CheckpointPath);
        var history = new Trainer(options with { Schedule = schedule, Callbacks = [.. options.Callbacks, averager] }).Fit(model, train);

        var averaged = create();
        averaged.to(train.Inputs.device);
        using (var _ = no_grad())
        using (var scope = NewDisposeScope())   // the handles copy_ returns
        {
            var targetParameters = averaged.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, mean) in averager.Means) targetParameters[name].copy_(mean);
        }
        BatchNormRecalibration.Recompute(averaged, train);
        averaged.eval();
        return new Result<TModel>(averaged, averager.Count, history);
    }

    /// <summary>The running average of the parameters, in float64 on the CPU; saved beside <paramref name="savePath"/> when given.</summary>
    sealed class RunningAverage(int startEpoch, string? savePath) : ITrainingCallback, IDisposable
    {
        public Dictionary<string, Tensor> Means { get; } = [];
        public int Count { get; private set; }

        /// <summary>Only observes: a checkpoint does not record it.</summary>
        public bool ChangesTraining => false;

        public void OnEpochEnd(TrainingContext context)
        {
            if (context.Epoch < startEpoch) return;
            using var _ = no_grad();
            using Scalar count = Count, nextCount = Count + 1;
            using var scope = NewDisposeScope();   // this epoch's host copies and the handles of the in-place updates
            foreach (var (name, parameter) in context.Model.named_parameters())
            {
                var value = parameter.detach().to(CPU).to(ScalarType.Float64);
                if (!Means.TryGetValue(name, out var mean)) Means[name] = value.clone().DetachFromDisposeScope();
                else mean.mul_(count).add_(value).div_(nextCount);
            }
            Count++;
            if (savePath is null) return;
            // The trainer writes its checkpoint after this: until it does, a resumed run needs the previous epoch's file.
            StateFile.Save(FileOf(context.Epoch), $"SWA average of {Count} epochs", context.Epoch, Means);
            if (File.Exists(FileOf(context.Epoch - 2))) File.Delete(FileOf(context.Epoch - 2));
        }

        string FileOf(int epoch) => $"{savePath}.swa-average-epoch{epoch + 1}";

        /// <summary>Reads back the average of the epochs the checkpoint holds, or refuses when it was not saved.</summary>
        public void OnResume(TrainingContext context)
        {
            Dispose();
            Means.Clear();
            Count = Math.Max(0, context.Epoch - startEpoch);
            if (Count == 0) return;
            var file = savePath is null ? null : FileOf(context.Epoch - 1);
            if (file is null || !File.Exists(file))
                throw CheckpointDamagedException.GatheredStateLost(savePath, context.Epoch, $"the SWA average of epochs {startEpoch + 1}-{context.Epoch} " +
                    (file is null ? "was kept in memory only (train with a checkpoint path to keep it)." : $"was not saved ({file} is missing)."));
            foreach (var (name, parameter) in context.Model.named_parameters())
                Means[name] = zeros(parameter.shape, ScalarType.Float64);
            StateFile.LoadInto(file, Means);
        }

        public void Dispose()
        {
            foreach (var t in Means.Values) t.Dispose();
        }
    }
}
