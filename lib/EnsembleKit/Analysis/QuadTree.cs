using System.Runtime.InteropServices;

namespace EnsembleKit.Analysis;

/// <summary>
/// Region quadtree over a 2-D embedding for Barnes-Hut t-SNE, stored as one flat node array (rebuilt in place each
/// iteration, no per-iteration allocation once the buffers have grown). Each node keeps its points' centre of mass,
/// count and squared cell width; a leaf holds one point, or several when the cell is too small to split
/// (coincident points), listed in <see cref="Order"/>.
/// </summary>
internal sealed class QuadTree
{
    /// <summary>Deeper cells are leaves even with several points (cell width = root width / 2^depth).</summary>
    public const int MaxDepth = 48;

    [StructLayout(LayoutKind.Sequential)]
    public struct Node
    {
        public double ComX, ComY, WidthSquared;
        public int Count;
        /// <summary>Index of the first child (children are contiguous); for a one-point leaf, that point's index.</summary>
        public int FirstChild, ChildCount;
        /// <summary>For a leaf: its points are <c>Order[LeafStart .. LeafStart + Count)</c>.</summary>
        public int LeafStart;
    }

    Node[] _nodes = new Node[64];
    int[] _order = [];
    int[] _scratch = [];
    double[] _y = [];

    public int NodeCount { get; private set; }
    public ReadOnlySpan<Node> Nodes => _nodes.AsSpan(0, NodeCount);
    /// <summary>The point indices in tree (spatial) order.</summary>
    public ReadOnlySpan<int> Order => _order;

    /// <summary>Builds the tree over the points of <paramref name="y"/> (flat <c>[n, 2]</c>).</summary>
    public void Build(double[] y, int n)
    {
        _y = y;
        if (_order.Length != n)
        {
            _order = new int[n];
            _scratch = new int[n];
        }
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            _order[i] = i;
            minX = Math.Min(minX, y[2 * i]); maxX = Math.Max(maxX, y[2 * i]);
            minY = Math.Min(minY, y[2 * i + 1]); maxY = Math.Max(maxY, y[2 * i + 1]);
        }
        double half = Math.Max(Math.Max(maxX - minX, maxY - minY), 1e-12) * (0.5 + 1e-6);
        NodeCount = 1;
        Fill(0, 0, n, (minX + maxX) / 2, (minY + maxY) / 2, half, 0);
    }

    void Fill(int node, int start, int count, double cx, double cy, double half, int depth)
    {
        double sx = 0, sy = 0;
        Span<int> quadrantCount = stackalloc int[4];
        for (int e = start; e < start + count; e++)
        {
            int i = _order[e];
            double px = _y[2 * i], py = _y[2 * i + 1];
            sx += px; sy += py;
            quadrantCount[(px >= cx ? 1 : 0) + (py >= cy ? 2 : 0)]++;
        }
        ref var nd = ref _nodes[node];
        nd.ComX = sx / count;
        nd.ComY = sy / count;
        nd.WidthSquared = 4 * half * half;
        nd.Count = count;
        nd.LeafStart = start;
        if (count == 1 || depth >= MaxDepth)
        {
            nd.FirstChild = count == 1 ? _order[start] : -1;
            nd.ChildCount = 0;
            return;
        }
        // Counting sort of this range by quadrant.
        Span<int> offset = stackalloc int[4];
        int children = 0;
        for (int q = 0, acc = start; q < 4; q++)
        {
            offset[q] = acc;
            acc += quadrantCount[q];
            if (quadrantCount[q] > 0) children++;
        }
        for (int e = start; e < start + count; e++)
        {
            int i = _order[e];
            _scratch[offset[(_y[2 * i] >= cx ? 1 : 0) + (_y[2 * i + 1] >= cy ? 2 : 0)]++] = i;
        }
        Array.Copy(_scratch, start, _order, start, count);
        int first = NodeCount;
        NodeCount += children;
        if (NodeCount > _nodes.Length) Array.Resize(ref _nodes, Math.Max(NodeCount, 2 * _nodes.Length));
        nd = ref _nodes[node]; // the array may have moved
        nd.FirstChild = first;
        nd.ChildCount = children;
        double quarter = half / 2;
        for (int q = 0, child = first, at = start; q < 4; q++)
        {
            if (quadrantCount[q] == 0) continue;
            Fill(child++, at, quadrantCount[q], cx + ((q & 1) != 0 ? quarter : -quarter), cy + ((q & 2) != 0 ? quarter : -quarter), quarter, depth + 1);
            at += quadrantCount[q];
        }
    }

    /// <summary>
    /// Barnes-Hut repulsion on point <paramref name="i"/> at (<paramref name="px"/>, <paramref name="py"/>): adds
    /// <c>Σ_j q_ij² (y_i - y_j)</c> to (<paramref name="fx"/>, <paramref name="fy"/>) with the unnormalised
    /// Student-t kernel <c>q_ij = 1 / (1 + |y_i - y_j|²)</c>, and returns <c>Σ_j q_ij</c> (j ≠ i). A cell whose
    /// squared width is below <paramref name="thetaSquared"/> times the squared distance to its centre of mass counts
    /// as <c>Count</c> points at that centre. <paramref name="stack"/> needs room for <c>3·MaxDepth + 4</c> entries.
    /// </summary>
    public double Repulsion(int i, double px, double py, double thetaSquared, Span<int> stack, out double fx, out double fy)
    {
        var nodes = _nodes;
        double z = 0, sfx = 0, sfy = 0;
        int sp = 0;
        stack[sp++] = 0;
        while (sp > 0)
        {
            ref readonly var nd = ref nodes[stack[--sp]];
            if (nd.ChildCount == 0)
            {
                if (nd.Count == 1)
                {
                    if (nd.FirstChild == i) continue;
                    double dx = px - nd.ComX, dy = py - nd.ComY;
                    double q = 1 / (1 + dx * dx + dy * dy);
                    z += q;
                    q *= q;
                    sfx += q * dx; sfy += q * dy;
                }
                else
                {
                    for (int e = nd.LeafStart; e < nd.LeafStart + nd.Count; e++)
                    {
                        int j = _order[e];
                        if (j == i) continue;
                        double dx = px - _y[2 * j], dy = py - _y[2 * j + 1];
                        double q = 1 / (1 + dx * dx + dy * dy);
                        z += q;
                        q *= q;
                        sfx += q * dx; sfy += q * dy;
                    }
                }
            }
            else
            {
                double dx = px - nd.ComX, dy = py - nd.ComY;
                double d2 = dx * dx + dy * dy;
                if (nd.WidthSquared < thetaSquared * d2)
                {
                    double q = 1 / (1 + d2);
                    double cq = nd.Count * q;
                    z += cq;
                    cq *= q;
                    sfx += cq * dx; sfy += cq * dy;
                }
                else
                {
                    for (int c = nd.FirstChild + nd.ChildCount - 1; c >= nd.FirstChild; c--) stack[sp++] = c;
                }
            }
        }
        fx = sfx;
        fy = sfy;
        return z;
    }
}
