using Plotly.NET;
using static TorchSharp.torch;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// Same-size maps <c>[H, W]</c> (saliency maps of one image by several models, say) side by side in one heatmap, each
    /// scaled to its own maximum so that their shapes compare, with an empty column between neighbours; the title names
    /// them in order.
    /// </summary>
    public static GenericChart ImageStrip(IReadOnlyList<Tensor> maps, IReadOnlyList<string> names, string title, string valueName)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count != maps.Count) throw new ArgumentException($"need one name per map ({maps.Count}); got {names.Count}.", nameof(names));
        var values = ImageStripValues(maps);
        return GridHeatmap(values, Enumerable.Range(0, values.GetLength(0)).Select(i => i.ToString()).ToList(),
            Enumerable.Range(0, values.GetLength(1)).Select(j => j.ToString()).ToList(),
            $"{title}: {string.Join(" | ", names)}", "", "", valueName, (0, 1), valueFormat: null);
    }

    /// <summary>The strip's values: map m at columns <c>m·(W + 1) .. m·(W + 1) + W - 1</c> divided by its maximum, NaN between maps.</summary>
    public static double[,] ImageStripValues(IReadOnlyList<Tensor> maps)
    {
        if (maps.Count == 0) throw new ArgumentException("need at least one map.", nameof(maps));
        long height = maps[0].shape.Length == 2 ? maps[0].shape[0] : -1, width = maps[0].shape.Length == 2 ? maps[0].shape[1] : -1;
        for (int m = 0; m < maps.Count; m++)
        {
            if (maps[m].dim() != 2 || maps[m].shape[0] != height || maps[m].shape[1] != width)
                throw new ArgumentException($"every map must be [{height}, {width}] like the first; map {m} is [{string.Join(", ", maps[m].shape)}].", nameof(maps));
        }
        int h = (int)height, w = (int)width;
        var strip = new double[h, maps.Count * (w + 1) - 1];
        for (int i = 0; i < h; i++) for (int j = 0; j < strip.GetLength(1); j++) strip[i, j] = double.NaN;
        for (int m = 0; m < maps.Count; m++)
        {
            using var scope = NewDisposeScope();
            var map = maps[m];
            var values = (map / map.max()).to_type(ScalarType.Float64).data<double>().ToArray();
            for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) strip[i, m * (w + 1) + j] = values[i * w + j];
        }
        return strip;
    }
}
