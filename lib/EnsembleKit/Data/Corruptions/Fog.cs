using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// <c>fog</c>: <c>(x + t P) max(x) / (max(x) + t)</c> with P a plasma fractal (diamond-square, the recipe's
/// <c>plasma_fractal(mapsize=32, wibbledecay)</c>, ported with its draws from the generator), one per image, cut to the
/// image size. (t, wibbledecay) = (0.2, 3), (0.5, 3), (0.75, 2.5), (1, 2), (1.5, 1.75) (make_cifar_c.py's table).
/// max(x) is over the whole image, all channels, as in the recipe.
/// </summary>
public sealed class Fog : Corruption
{
    static readonly (double Thickness, double WibbleDecay)[] Constants = [(0.2, 3), (0.5, 3), (0.75, 2.5), (1, 2), (1.5, 1.75)];

    public override string Name => "fog";
    public override CorruptionFamily Family => CorruptionFamily.Weather;
    public override bool IsRandom => true;

    protected override Tensor Corrupt(Tensor images, int severity, Generator generator)
    {
        var (thickness, decay) = Pick(Constants, severity);
        long n = images.shape[0], h = images.shape[2], w = images.shape[3];
        long size = 32;
        while (size < Math.Max(h, w)) size *= 2;
        var plasma = PlasmaFractal(n, size, decay, generator).narrow(1, 0, h).narrow(2, 0, w).unsqueeze(1).to(images.dtype);
        var maxValue = images.amax([1, 2, 3], keepdim: true);
        using Scalar fogThickness = thickness;
        return (images + plasma.mul(fogThickness)) * maxValue / maxValue.add(fogThickness);
    }

    /// <summary>
    /// The recipe's <c>plasma_fractal</c> for <paramref name="n"/> maps at once: float64 <c>[n, size, size]</c> in [0, 1].
    /// Its quirk is kept: the random term is <c>wibble * uniform(-wibble, wibble)</c>.
    /// </summary>
    internal static Tensor PlasmaFractal(long n, long size, double wibbleDecay, Generator generator)
    {
        var map = zeros([n, size, size], dtype: ScalarType.Float64);
        long step = size;
        double wibble = 100;
        Tensor WibbledMean(Tensor sum)
        {
            using Scalar four = 4, range = 2 * wibble, amplitude = wibble;
            return sum.div(four) + rand(sum.shape, dtype: ScalarType.Float64, generator: generator).mul(range).sub(amplitude).mul(amplitude);
        }
        Tensor Grid(long row, long col) =>
            map[TensorIndex.Colon, TensorIndex.Slice(row, size, step), TensorIndex.Slice(col, size, step)];
        while (step >= 2)
        {
            long half = step / 2;
            // Squares: the centre of each square is the mean of its corners plus a wibble.
            var corners = Grid(0, 0).clone();
            var squares = corners + corners.roll(-1, 1);
            squares = squares + squares.roll(-1, 2);
            Grid(half, half).copy_(WibbledMean(squares));
            // Diamonds: the edge midpoints, from the two neighbouring centres and the two corners.
            var centres = Grid(half, half).clone();
            var upperLeft = Grid(0, 0).clone();
            var leftTop = centres + centres.roll(1, 1) + (upperLeft + upperLeft.roll(-1, 2));
            Grid(0, half).copy_(WibbledMean(leftTop));
            var topLeft = centres + centres.roll(1, 2) + (upperLeft + upperLeft.roll(-1, 1));
            Grid(half, 0).copy_(WibbledMean(topLeft));
            step /= 2;
            wibble /= wibbleDecay;
        }
        map = map - map.amin([1, 2], keepdim: true);
        return map / map.amax([1, 2], keepdim: true);
    }
}
