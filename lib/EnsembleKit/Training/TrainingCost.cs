using System.Diagnostics;
using System.Globalization;
using EnsembleKit.Backend;
using EnsembleKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>
/// What training a model costs on this machine, measured rather than guessed: a few optimizer steps of a fresh model on
/// real batches (after one warm-up step that pays for libtorch's first-call set-up), extrapolated to whole epochs. A
/// <c>full</c>-scale notebook prints it before it starts, so its user sees whether the paper's recipe means minutes here
/// or GPU-days.
/// </summary>
/// <param name="SecondsPerStep">Wall-clock seconds of one optimizer step (forward, backward, update) on a full batch.</param>
/// <param name="StepsPerEpoch">Batches in one epoch of the training set the estimate is for.</param>
/// <param name="Device">The device the steps ran on (the training data's).</param>
public sealed record TrainingCost(double SecondsPerStep, int StepsPerEpoch, string Device)
{
    /// <summary>Seconds of one epoch.</summary>
    public double SecondsPerEpoch => SecondsPerStep * StepsPerEpoch;

    /// <summary>Wall-clock time of <paramref name="epochs"/> epochs (e.g. the sum over every model a notebook trains).</summary>
    public TimeSpan Estimate(int epochs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        return TimeSpan.FromSeconds(SecondsPerEpoch * epochs);
    }

    /// <summary>
    /// Times <paramref name="steps"/> training steps of a model from <paramref name="create"/> with
    /// <paramref name="options"/> (optimizer, batch size, augmentation; no callbacks, checkpoints or progress) on the first
    /// batches of <paramref name="train"/>, on the device <paramref name="train"/> lives on, and counts the batches of an
    /// epoch of all of <paramref name="train"/>. The model is disposed; the global random state is reseeded (as
    /// <see cref="Trainer"/> does), so seed again before anything that depends on it.
    /// </summary>
    public static TrainingCost Measure<TModel>(Func<TModel> create, TensorDataset train, TrainingOptions options, int steps = 3)
        where TModel : nn.Module<Tensor, Tensor>
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), $"steps must be at least 1; got {steps}.");
        if (train.Count == 0) throw new ArgumentException("the training set is empty.", nameof(train));
        options.Validate();
        TorchRuntime.EnsureInitialized();
        int batch = options.BatchSize;
        int stepsPerEpoch = (int)((train.Count + batch - 1) / batch);
        var quiet = options with { Epochs = 1, Callbacks = [], CheckpointPath = null, Progress = ProgressSinks.None, Label = "training cost" };
        using var model = create();
        // One full batch when the set has one: a smaller last batch would under-count the step.
        using (var warmUp = train.Take(Math.Min(batch, train.Count), "training cost: warm-up"))
            new Trainer(quiet).Fit(model, warmUp);
        long timedCount = Math.Min((long)batch * steps, train.Count);
        int timedSteps = (int)((timedCount + batch - 1) / batch);
        using var timed = train.Take(timedCount, "training cost: timed steps");
        var clock = Stopwatch.StartNew();
        new Trainer(quiet).Fit(model, timed);
        clock.Stop();
        return new TrainingCost(clock.Elapsed.TotalSeconds / timedSteps, stepsPerEpoch, train.Inputs.device.ToString());
    }

    /// <summary>A duration for people: "0.4 s", "45 s", "12.5 min", "3.2 h" or "4.1 days".</summary>
    public static string Describe(TimeSpan duration) => duration.TotalSeconds switch
    {
        < 10 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:F1} s"),
        < 90 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:F0} s"),
        < 5_400 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMinutes:F1} min"),
        < 172_800 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalHours:F1} h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalDays:F1} days"),
    };

    /// <summary>"0.412 s a step x 391 steps = 2.7 min an epoch on cpu".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{SecondsPerStep:G3} s a step x {StepsPerEpoch:N0} steps = {Describe(TimeSpan.FromSeconds(SecondsPerEpoch))} an epoch on {Device}");
}
