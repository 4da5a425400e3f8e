using System.CommandLine;
using System.Diagnostics;
using EnsembleKit.Backend;
using EnsembleKit.Cli.Commands;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Cli.Benchmarks;

/// <summary>
/// <c>kit bench member-conv</c>: why lockstep training of convolutional members loses on a CPU. Times the forward and
/// backward pass of LeNet-S's two convolutions (5×5, ReLU, 2×2 max pooling; batch B of 3×32×32) for one member, and for
/// M members in one graph three ways: member by member (what <c>LockstepLeNet</c> does), as one grouped convolution
/// (<c>groups = M</c>), and as unfold + batched matmul. M times the one-member figure is what sequential training pays.
/// </summary>
public static class MemberConvolutionBenchmark
{
    public static Command Build()
    {
        var command = new Command("member-conv", "Time LeNet-S's convolutions for one member and for M members in one graph (per member, grouped, unfold + bmm).");
        var members = new Option<int>("--members") { Description = "Members M in one graph.", DefaultValueFactory = _ => 8 }.AtLeast(1);
        var batch = new Option<int>("--batch") { Description = "Images per member.", DefaultValueFactory = _ => 128 }.AtLeast(1);
        var repeats = new Option<int>("--repeats") { Description = "Timed passes per variant (after one warm-up).", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var threads = Commands.CommonOptions.Threads();
        foreach (var option in new Option[] { members, batch, repeats, threads }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var (m, b, r) = (parse.GetValue(members), parse.GetValue(batch), parse.GetValue(repeats));
            TorchRuntime.Initialize(KitSettings.FromEnvironment(DeviceChoice.Cpu, parse.GetValue(threads)));
            Console.WriteLine($"LeNet-S convolutions, forward + backward, batch {b} of 3x32x32, {get_num_threads()} threads, mean of {r} passes");
            // A first untimed round: the first passes of a process (fresh pages, the convolution library's set-up) are slower.
            foreach (var variant in new Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>[] { PerMember, Grouped, Unfolded }) Time(m, b, 1, variant);
            double one = Time(1, b, r, PerMember);
            Console.WriteLine($"  one member:                          {one,9:F1} ms   (x {m} = {one * m:F1} ms, what sequential training pays)");
            foreach (var (name, variant) in new (string, Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>)[]
                     { ("member by member (lockstep)", PerMember), ("grouped convolution", Grouped), ("unfold + batched matmul", Unfolded) })
            {
                double ms = Time(m, b, r, variant);
                Console.WriteLine($"  {m} members, {name + ":",-30}{ms,9:F1} ms   ({ms / (one * m):F2} x the {m} separate passes)");
            }
            return 0;
        });
        return command;
    }

    /// <summary>Milliseconds per forward + backward of <paramref name="variant"/> on M members' random inputs and weights.</summary>
    static double Time(int m, int b, int repeats, Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor> variant)
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        using Scalar scale = 0.1;   // small weights: the activations stay in a normal range
        var x = randn([m, b, 3, 32, 32]);
        var w1 = randn([m, 6, 3, 5, 5]).mul(scale).requires_grad_(true);
        var b1 = zeros(m, 6).requires_grad_(true);
        var w2 = randn([m, 16, 6, 5, 5]).mul(scale).requires_grad_(true);
        var b2 = zeros(m, 16).requires_grad_(true);
        double elapsed = 0;
        for (int pass = 0; pass <= repeats; pass++)
        {
            using var step = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            variant(x, w1, b1, w2, b2).sum().backward();
            if (pass > 0) elapsed += clock.Elapsed.TotalMilliseconds;   // pass 0 warms up
        }
        return elapsed / repeats;
    }

    static Tensor Block(Tensor h, Tensor w, Tensor b, long groups = 1) =>
        nn.functional.max_pool2d(nn.functional.relu(nn.functional.conv2d(h, w, b, groups: groups)), 2);

    static Tensor PerMember(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2)
    {
        var (xs, w1s, b1s, w2s, b2s) = (x.unbind(0), w1.unbind(0), b1.unbind(0), w2.unbind(0), b2.unbind(0));
        return stack(Enumerable.Range(0, xs.Length).Select(i => Block(Block(xs[i], w1s[i], b1s[i]), w2s[i], b2s[i])).ToList(), 0);
    }

    static Tensor Grouped(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2)
    {
        long m = x.shape[0], b = x.shape[1];
        var members = x.transpose(0, 1).reshape(b, m * 3, 32, 32);   // member i's channels side by side in group i
        var h = Block(members, w1.reshape(m * 6, 3, 5, 5), b1.reshape(-1), m);
        return Block(h, w2.reshape(m * 16, 6, 5, 5), b2.reshape(-1), m);
    }

    static Tensor Unfolded(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2)
    {
        long m = x.shape[0], b = x.shape[1];
        Tensor Conv(Tensor h, Tensor w, Tensor bias, long size)   // h [M, B, C, s, s] -> [M * B, O, s - 4, s - 4]
        {
            long c = h.shape[2], o = w.shape[1], s = size - 4;
            var columns = nn.functional.unfold(h.reshape(m * b, c, size, size), 5).view(m, b, c * 25, s * s);
            var y = w.reshape(m, 1, o, c * 25).matmul(columns).add(bias.view(m, 1, o, 1));
            return y.view(m * b, o, s, s);
        }
        var h1 = nn.functional.max_pool2d(nn.functional.relu(Conv(x, w1, b1, 32)), 2).view(m, b, 6, 14, 14);
        return nn.functional.max_pool2d(nn.functional.relu(Conv(h1, w2, b2, 14)), 2);
    }
}
