using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

/// <summary>
/// PermAVG (seed 000): the average of M MLPs after each member's hidden units are permuted by a learned relaxed
/// permutation. Member 1 is the reference; for each other member and hidden layer a free score matrix is turned into a
/// doubly-stochastic matrix <c>P</c> by <see cref="Sinkhorn"/>. The module's forward is the averaged MLP
/// <c>W_l = (1/M) sum_m P_{m,l} W_{m,l} P_{m,l-1}^T</c>, <c>b_l = (1/M) sum_m P_{m,l} b_{m,l}</c>, so training it with
/// the <see cref="Trainer"/> (members frozen, only scores learn) minimises the averaged model's training loss.
/// <see cref="ExportSoft"/> gives the plain MLP with the soft matrices, <see cref="ExportHard"/> the one with each matrix
/// projected to its nearest permutation by linear assignment.
/// </summary>
public sealed class PermAvg : nn.Module<Tensor, Tensor>
{
    // The members' layer spec (not the member itself: a module field would register it as a submodule).
    readonly (int In, int Out)[] layerSpec;
    readonly PermAvgOptions options;
    // Frozen copies of the members' weights and biases, registered as buffers so they move with the module but never learn.
    readonly List<Tensor> frozen = [];
    readonly TorchSharp.Modules.ParameterList scores = new();
    readonly int memberCount, layerCount;

    public PermAvg(IReadOnlyList<Mlp> members, PermAvgOptions? options = null) : base("PermAvg")
    {
        TorchRuntime.EnsureInitialized();
        this.options = options ?? new PermAvgOptions();
        this.options.Validate();
        if (members.Count < 2) throw new ArgumentException($"PermAVG needs at least 2 members; got {members.Count}.", nameof(members));
        var spec = members[0].Spec;
        for (int m = 1; m < members.Count; m++)
            if (!members[m].Spec.SequenceEqual(spec))
                throw new ArgumentException($"member {m} is {members[m]} but member 0 is {members[0]}: PermAVG needs one architecture.", nameof(members));
        if (spec.Count < 2) throw new ArgumentException($"{members[0]} has no hidden layer to permute.", nameof(members));
        layerSpec = members[0].Spec.ToArray();
        memberCount = members.Count;
        layerCount = spec.Count;
        var device = members[0].Layers[0].weight!.device;
        using (no_grad())
            foreach (var member in members)
                foreach (var layer in member.Layers)
                {
                    frozen.Add(layer.weight!.detach().clone().DetachFromDisposeScope());
                    frozen.Add(layer.bias!.detach().clone().DetachFromDisposeScope());
                }

        var starts = this.options.Start == PermAvgStart.WeightMatching && !this.options.Naive ? StartingPermutations(members) : null;
        if (!this.options.Naive)
            for (int m = 1; m < memberCount; m++)
                for (int l = 0; l < layerCount - 1; l++)
                {
                    int n = spec[l].Out;
                    var start = starts?[m - 1][PermutationSpec.HiddenGroup(l)] ?? Enumerable.Range(0, n).ToArray();
                    scores.Add(new TorchSharp.Modules.Parameter(InitialScores(start, this.options.StartConfidence, this.options.Temperature, device)));
                }
        RegisterComponents();
        for (int i = 0; i < frozen.Count; i++) register_buffer($"member{i / (2 * layerCount)}_layer{i / 2 % layerCount}_{(i % 2 == 0 ? "weight" : "bias")}", frozen[i]);
    }

    public int MemberCount => memberCount;

    Tensor Weight(int m, int l) => FrozenTensor(2 * (m * layerCount + l));
    Tensor Bias(int m, int l) => FrozenTensor(2 * (m * layerCount + l) + 1);
    // Buffers are looked up by name because moving the module to a device replaces the tensors.
    Tensor FrozenTensor(int i) => get_buffer($"member{i / (2 * layerCount)}_layer{i / 2 % layerCount}_{(i % 2 == 0 ? "weight" : "bias")}")!;

    /// <summary>Member <paramref name="m"/>'s doubly-stochastic matrix for hidden layer <paramref name="l"/> (<c>[n, n]</c>; the identity for member 0).</summary>
    public Tensor Matrix(int m, int l)
    {
        if (m < 0 || m >= memberCount) throw new ArgumentOutOfRangeException(nameof(m), $"member must be in 0..{memberCount - 1}; got {m}.");
        if (l < 0 || l >= layerCount - 1) throw new ArgumentOutOfRangeException(nameof(l), $"hidden layer must be in 0..{layerCount - 2}; got {l}.");
        if (m == 0 || options.Naive) return eye(layerSpec[l].Out, device: Weight(0, 0).device);
        return Sinkhorn.Normalise(scores[(m - 1) * (layerCount - 1) + l], options.SinkhornIterations, options.Temperature);
    }

    /// <summary>The averaged weights and biases, one pair per layer, with the given per-member, per-layer matrices.</summary>
    List<(Tensor Weight, Tensor Bias)> Averaged(Func<int, int, Tensor> matrix)
    {
        var result = new List<(Tensor, Tensor)>();
        var matrices = new Tensor?[memberCount, layerCount];
        for (int m = 0; m < memberCount; m++)
            for (int l = 0; l < layerCount - 1; l++) matrices[m, l] = m == 0 ? null : matrix(m, l);
        using Scalar count = memberCount;
        for (int l = 0; l < layerCount; l++)
        {
            Tensor? weight = null, bias = null;
            for (int m = 0; m < memberCount; m++)
            {
                var w = Weight(m, l);
                var b = Bias(m, l);
                if (l < layerCount - 1 && matrices[m, l] is { } rows) { w = rows.matmul(w); b = rows.matmul(b); }
                if (l > 0 && matrices[m, l - 1] is { } columns) w = w.matmul(columns.t());
                weight = weight is null ? w : weight + w;
                bias = bias is null ? b : bias + b;
            }
            result.Add((weight!.div(count), bias!.div(count)));
        }
        return result;
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.dim() == 2 ? input : input.flatten(1);
        var layers = Averaged(Matrix);
        for (int l = 0; l < layers.Count; l++)
        {
            x = nn.functional.linear(x, layers[l].Weight, layers[l].Bias);
            if (l < layers.Count - 1) x = nn.functional.relu(x);
        }
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>A plain MLP holding the average with the current soft (doubly-stochastic) matrices.</summary>
    public Mlp ExportSoft() => Export(Matrix);

    /// <summary>A plain MLP holding the average after projecting each matrix to the permutation that maximises <c>sum_i P[i, p(i)]</c>.</summary>
    public Mlp ExportHard() => Export((m, l) =>
    {
        using var scope = NewDisposeScope();
        int n = layerSpec[l].Out;
        var soft = Matrix(m, l).detach().to(CPU).to(ScalarType.Float64).contiguous().data<double>().ToArray();
        var p = new double[n, n];
        Buffer.BlockCopy(soft, 0, p, 0, soft.Length * sizeof(double));
        var perm = LinearAssignment.Solve(p, maximize: true);
        var hard = zeros(n, n, device: Weight(0, 0).device);
        for (int i = 0; i < n; i++) hard[i, perm[i]] = 1;
        return hard.MoveToOuterDisposeScope();
    });

    Mlp Export(Func<int, int, Tensor> matrix)
    {
        var model = new Mlp(layerSpec);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var layers = Averaged(matrix);
        model.to(Weight(0, 0).device);
        for (int l = 0; l < layers.Count; l++)
        {
            model.Layers[l].weight!.copy_(layers[l].Weight);
            model.Layers[l].bias!.copy_(layers[l].Bias);
        }
        model.eval();
        return model;
    }

    /// <summary>Scores whose Sinkhorn matrix puts about <paramref name="confidence"/> on <c>P[i, start[i]]</c> in every row.</summary>
    static Tensor InitialScores(int[] start, double confidence, double temperature, Device device)
    {
        int n = start.Length;
        double c = temperature * Math.Log(confidence * Math.Max(n - 1, 1) / (1 - confidence));
        var values = new float[n * n];
        for (int i = 0; i < n; i++) values[i * n + start[i]] = (float)c;
        return tensor(values, [n, n], device: device);
    }

    static List<IReadOnlyDictionary<string, int[]>> StartingPermutations(IReadOnlyList<Mlp> members)
    {
        var spec = PermutationSpec.ForMlp(members[0]);
        var align = AlignedAveraging.ByWeightMatching(spec);
        return members.Skip(1).Select(m => align(members[0], m)).ToList();
    }
}
