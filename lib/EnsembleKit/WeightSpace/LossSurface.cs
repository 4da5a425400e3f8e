using System.Globalization;
using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Metrics;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

/// <summary>
/// The loss surface around a trained model on a plane of weight space, <c>f(α, β) = L(θ + α δ + β η)</c>, where δ and
/// η are two <see cref="FilterNormalizedDirection"/>s (Li et al. 2018; seed 002 §5.3.2 draws it for a parent, its pruned
/// child and the tuned child). <see cref="Alphas"/> and <see cref="Betas"/> run from <c>-extent</c> to <c>extent</c>;
/// <see cref="Loss"/> and <see cref="Accuracy"/> are <c>[alphas, betas]</c>, with the model itself at the centre.
/// </summary>
public sealed record LossSurface(string Label, IReadOnlyList<double> Alphas, IReadOnlyList<double> Betas, double[,] Loss, double[,] Accuracy)
{
    /// <summary>The loss at α = β = 0, the model itself.</summary>
    public double CentreLoss => Loss[Alphas.Count / 2, Betas.Count / 2];

    /// <summary>The accuracy at α = β = 0, the model itself.</summary>
    public double CentreAccuracy => Accuracy[Alphas.Count / 2, Betas.Count / 2];

    /// <summary>
    /// How wide the basin is: the fraction of the grid where the loss stays within <paramref name="rise"/> of the
    /// centre's, <c>|{(α, β) : f(α, β) ≤ f(0, 0) + rise}| / |grid|</c>. 1 means the whole plane is that flat.
    /// </summary>
    public double BasinArea(double rise)
    {
        if (!(rise >= 0)) throw new ArgumentOutOfRangeException(nameof(rise), $"rise must be >= 0; got {rise}.");
        double limit = CentreLoss + rise;
        return Loss.Cast<double>().Count(l => l <= limit) / (double)Loss.Length;
    }

    /// <summary>How deep the surroundings rise: the mean of <c>f(α, β) - f(0, 0)</c> over the grid (smaller is shallower).</summary>
    public double MeanRise => Loss.Cast<double>().Average() - CentreLoss;

    /// <summary>
    /// How steep the near surroundings are: the mean of <c>f(α, β) - f(0, 0)</c> over the grid points within
    /// <paramref name="radius"/> of the centre (<c>α² + β² ≤ radius²</c>, the centre included). Unlike
    /// <see cref="MeanRise"/> it is not dominated by the plane's far corners, where a loss can grow by orders of magnitude.
    /// </summary>
    public double RiseWithin(double radius)
    {
        if (!(radius > 0)) throw new ArgumentOutOfRangeException(nameof(radius), $"radius must be > 0; got {radius}.");
        // A point on the circle counts whatever the rounding of α and β.
        double limit = radius * radius * (1 + 1e-12);
        var rises = new List<double>();
        for (int i = 0; i < Alphas.Count; i++)
            for (int j = 0; j < Betas.Count; j++)
                if (Alphas[i] * Alphas[i] + Betas[j] * Betas[j] <= limit) rises.Add(Loss[i, j] - CentreLoss);
        return rises.Count == 0 ? 0 : rises.Average();
    }

    /// <summary>
    /// Evaluates <paramref name="model"/>'s mean cross-entropy and accuracy on <paramref name="data"/> at
    /// <paramref name="steps"/> × <paramref name="steps"/> points (odd, so the model itself is the centre) of the plane
    /// spanned by the directions drawn with <paramref name="seed"/> and a seed derived from it. The model's weights are
    /// moved and put back exactly afterwards (also on error); batch-norm statistics stay as trained. Progress goes to
    /// <paramref name="progress"/> once per row of the grid.
    /// </summary>
    public static LossSurface Evaluate(string label, nn.Module<Tensor, Tensor> model, TensorDataset data, double extent = 1.0, int steps = 21,
        long seed = 0, int batchSize = 1000, IProgressSink? progress = null)
    {
        TorchRuntime.EnsureInitialized();
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (!(extent > 0) || double.IsInfinity(extent)) throw new ArgumentOutOfRangeException(nameof(extent), $"extent must be positive and finite; got {extent}.");
        if (steps < 3 || steps % 2 == 0) throw new ArgumentOutOfRangeException(nameof(steps), $"steps must be odd and at least 3, so the model sits at the centre; got {steps}.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batchSize must be positive; got {batchSize}.");
        var grid = Enumerable.Range(0, steps).Select(i => extent * (2.0 * i / (steps - 1) - 1)).ToArray();
        grid[steps / 2] = 0;   // exactly the model, whatever the rounding of the line above
        var loss = new double[steps, steps];
        var accuracy = new double[steps, steps];

        var parameters = model.named_parameters().ToList();
        Dictionary<string, Tensor> delta = [], eta = [], original = [];
        try
        {
            delta = FilterNormalizedDirection.Draw(model, seed);
            eta = FilterNormalizedDirection.Draw(model, SeedMix.Of(seed, 1));
            using (no_grad())
            using (NewDisposeScope())
                foreach (var (name, p) in parameters) original[name] = p.detach().clone().DetachFromDisposeScope();
            for (int i = 0; i < steps; i++)
            {
                for (int j = 0; j < steps; j++)
                {
                    MoveTo(parameters, original, delta, eta, grid[i], grid[j]);
                    using var pointScope = NewDisposeScope();
                    var logits = Predict.Logits(model, data, batchSize);
                    loss[i, j] = nn.functional.cross_entropy(logits, data.Targets).to(ScalarType.Float64).item<double>();
                    accuracy[i, j] = Metric.Accuracy(logits, data.Targets);
                }
                progress?.Report(new ProgressUpdate($"{label}: loss surface", i + 1, steps,
                    string.Create(CultureInfo.InvariantCulture, $"α = {grid[i]:F2}: loss {Enumerable.Range(0, steps).Min(j => loss[i, j]):F3} to {Enumerable.Range(0, steps).Max(j => loss[i, j]):F3}"), i + 1 == steps));
            }
        }
        finally
        {
            using (no_grad())
            using (NewDisposeScope())
                foreach (var (name, p) in parameters)
                    if (original.TryGetValue(name, out var value)) p.copy_(value);
            foreach (var tensor in original.Values.Concat(delta.Values).Concat(eta.Values)) tensor.Dispose();
        }
        return new LossSurface(label, grid, grid.ToArray(), loss, accuracy);
    }

    /// <summary>Sets every parameter to <c>θ + α δ + β η</c>.</summary>
    static void MoveTo(IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> parameters, IReadOnlyDictionary<string, Tensor> original,
        IReadOnlyDictionary<string, Tensor> delta, IReadOnlyDictionary<string, Tensor> eta, double alpha, double beta)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();   // the handles copy_ and add_ return, once per parameter and grid point
        using Scalar a = alpha, b = beta;
        foreach (var (name, p) in parameters)
            p.copy_(original[name]).add_(delta[name], alpha: a).add_(eta[name], alpha: b);
    }
}
