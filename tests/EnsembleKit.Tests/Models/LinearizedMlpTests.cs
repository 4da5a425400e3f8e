using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Models;

public class LinearizedMlpTests
{
    const int D = 6, M = 16, C = 3;
    static readonly string[] Displacements = ["delta_hidden_weight", "delta_hidden_bias", "delta_output_weight", "delta_output_bias"];
    static readonly string[] Initial = ["hidden_weight0", "hidden_bias0", "output_weight0", "output_bias0"];

    static Tensor Buffer(nn.Module model, string name) => model.named_buffers().Single(b => b.name == name).buffer;
    static Tensor Param(nn.Module model, string name) => model.named_parameters().Single(p => p.name == name).parameter;

    /// <summary>The plain network A relu(W x + b) + c, built from two torch Linear layers holding the given weights.</summary>
    static Tensor Plain(Tensor x, Tensor w, Tensor b, Tensor a, Tensor c)
    {
        using var hidden = nn.Linear(w.shape[1], w.shape[0], dtype: w.dtype);
        using var output = nn.Linear(a.shape[1], a.shape[0], dtype: a.dtype);
        using (no_grad())
        {
            hidden.weight!.copy_(w); hidden.bias!.copy_(b);
            output.weight!.copy_(a); output.bias!.copy_(c);
        }
        return output.forward(nn.functional.relu(hidden.forward(x))).detach();
    }

    [Fact]
    public void AtZeroDisplacementItIsThePlainNetworkAtItsInitialisation()
    {
        TestSupport.LoadTorch();
        manual_seed(3);
        using var lin = new LinearizedMlp(D, M, C);
        using var x = randn(8, D);
        using var expected = Plain(x, Buffer(lin, "hidden_weight0"), Buffer(lin, "hidden_bias0"), Buffer(lin, "output_weight0"), Buffer(lin, "output_bias0"));
        using var actual = lin.forward(x);
        Assert.Equal(new long[] { 8, C }, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-6, atol: 1e-6));
        // θ0 is drawn as an Mlp d-m-C draws its layers, so the same seed gives the same network.
        manual_seed(3);
        using var mlp = new Mlp([(D, M), (M, C)]);
        using var mlpOut = mlp.forward(x);
        Assert.True(actual.allclose(mlpOut, rtol: 1e-6, atol: 1e-6));
        // the first layer's weight is not all zero and differs between seeds (a real random initialisation)
        manual_seed(4);
        using var other = new LinearizedMlp(D, M, C);
        Assert.False(Buffer(other, "hidden_weight0").allclose(Buffer(lin, "hidden_weight0")));
    }

    [Fact]
    public void ItIsTheFirstOrderTaylorExpansionErrorShrinksLikeEpsilonSquared()
    {
        TestSupport.LoadTorch();
        manual_seed(5);
        using var lin = new LinearizedMlp(D, M, C);
        lin.to(ScalarType.Float64);   // buffers and displacements move together
        var theta0 = Initial.Select(n => Buffer(lin, n)).ToArray();
        Assert.All(theta0, t => Assert.Equal(ScalarType.Float64, t.dtype));
        using var x = randn(8, D, dtype: ScalarType.Float64);
        var delta = theta0.Select(t => randn(t.shape, dtype: ScalarType.Float64)).ToArray();
        using var pre0 = x.matmul(theta0[0].t()).add(theta0[1]);

        double Error(double eps, out Tensor gap)
        {
            using Scalar e = eps;
            using (no_grad())
                for (int i = 0; i < 4; i++) Param(lin, Displacements[i]).copy_(delta[i].mul(e));
            var moved = theta0.Zip(delta, (t, d) => t.add(d.mul(e))).ToArray();
            using var preMoved = x.matmul(moved[0].t()).add(moved[1]);
            // the expansion is exact to second order only where no unit crosses zero: the test's premise
            Assert.True(pre0.sign().eq(preMoved.sign()).all().item<bool>(), "a hidden unit changed sign; pick a smaller epsilon");
            using var exact = Plain(x, moved[0], moved[1], moved[2], moved[3]);
            using var linear = lin.forward(x).detach();
            gap = exact.sub(linear);
            foreach (var t in moved) t.Dispose();
            return gap.abs().max().item<double>();
        }

        double e1 = Error(1e-3, out var gap1), e2 = Error(5e-4, out var gap2);
        Assert.True(e1 > 0);
        Assert.InRange(e1 / e2, 3.99, 4.01);
        // With the gates fixed the network is bilinear in (A, W, b), so the remainder is exactly eps^2 ΔA ((ΔW x + Δb) ⊙ gate).
        using Scalar zero = 0, epsSquared = 1e-6;
        using var gate = pre0.gt(zero).to_type(ScalarType.Float64);
        using var remainder = x.matmul(delta[0].t()).add(delta[1]).mul(gate).matmul(delta[2].t()).mul(epsSquared);
        Assert.True(gap1.allclose(remainder, rtol: 1e-6, atol: 1e-12));
        gap1.Dispose(); gap2.Dispose();
        foreach (var d in delta) d.Dispose();
    }

    [Fact]
    public void GradientAtZeroEqualsThePlainNetworksGradientAtTheInitialisation()
    {
        TestSupport.LoadTorch();
        manual_seed(6);
        using var lin = new LinearizedMlp(D, M, C);
        using var x = randn(10, D);
        using var r = randn(10, C);
        using var hidden = nn.Linear(D, M);
        using var output = nn.Linear(M, C);
        using (no_grad())
        {
            hidden.weight!.copy_(Buffer(lin, "hidden_weight0")); hidden.bias!.copy_(Buffer(lin, "hidden_bias0"));
            output.weight!.copy_(Buffer(lin, "output_weight0")); output.bias!.copy_(Buffer(lin, "output_bias0"));
        }
        using var plainScalar = output.forward(nn.functional.relu(hidden.forward(x))).mul(r).sum();
        plainScalar.backward();
        using var linScalar = lin.forward(x).mul(r).sum();
        linScalar.backward();
        Assert.True(Param(lin, "delta_hidden_weight").grad!.allclose(hidden.weight!.grad!, rtol: 1e-5, atol: 1e-6));
        Assert.True(Param(lin, "delta_hidden_bias").grad!.allclose(hidden.bias!.grad!, rtol: 1e-5, atol: 1e-6));
        Assert.True(Param(lin, "delta_output_weight").grad!.allclose(output.weight!.grad!, rtol: 1e-5, atol: 1e-6));
        Assert.True(Param(lin, "delta_output_bias").grad!.allclose(output.bias!.grad!, rtol: 1e-5, atol: 1e-6));
        Assert.True(hidden.weight!.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void OnlyTheDisplacementsAreParametersAndTheStateHoldsTheInitialisation()
    {
        TestSupport.LoadTorch();
        manual_seed(7);
        using var lin = new LinearizedMlp(D, M, C);
        Assert.Equal(Displacements.OrderBy(n => n), lin.named_parameters().Select(p => p.name).OrderBy(n => n));
        Assert.Equal(M * D + M + C * M + C, lin.parameters().Sum(p => p.numel()));
        Assert.All(lin.parameters(), p => Assert.Equal(0f, p.abs().sum().item<float>()));
        Assert.Equal(Initial.OrderBy(n => n), lin.named_buffers().Select(b => b.name).OrderBy(n => n));
        // ModelState carries θ0 too: loading it into a differently seeded model reproduces the outputs.
        using (no_grad()) Param(lin, "delta_output_weight").fill_(0.25f);
        var state = ModelState.Copy(lin);
        Assert.Equal(Displacements.Concat(Initial).OrderBy(n => n), state.Keys.OrderBy(n => n));
        manual_seed(8);
        using var copy = new LinearizedMlp(D, M, C);
        using var x = randn(4, D);
        using var before = copy.forward(x);
        ModelState.Load(copy, state);
        ModelState.Dispose(state);
        using var expected = lin.forward(x);
        using var after = copy.forward(x);
        Assert.False(before.allclose(expected));
        Assert.True(after.allclose(expected, rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void BadSizesAndInputsAreRejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => new LinearizedMlp(0, M, C));
        Assert.ThrowsAny<ArgumentException>(() => new LinearizedMlp(D, -1, C));
        var e = Assert.ThrowsAny<ArgumentException>(() => new LinearizedMlp(D, M, 0));
        Assert.Contains("classes", e.Message);
        using var lin = new LinearizedMlp(D, M, C);
        using var wrong = randn(3, D + 1);
        e = Assert.Throws<ArgumentException>(() => lin.forward(wrong));
        Assert.Contains("[3, 7]", e.Message);
        // images are flattened like Mlp's
        using var images = randn(2, 2, 3);
        using var y = lin.forward(images);
        Assert.Equal(new long[] { 2, C }, y.shape);
    }

    [Fact]
    public void RepeatedForwardsLeakNoTensors()
    {
        TestSupport.LoadTorch();
        using var lin = new LinearizedMlp(D, M, C);
        using var x = randn(5, D);
        using (var warm = lin.forward(x)) { }
        long before = TestSupport.LiveTensorCount();
        for (int i = 0; i < 20; i++)
            using (var y = lin.forward(x)) { }
        // Counted without collecting: a temporary left for the finaliser fails it too.
        Assert.Equal(before, Tensor.TotalCount);
    }
}
