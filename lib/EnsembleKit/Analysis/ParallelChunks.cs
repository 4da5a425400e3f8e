namespace EnsembleKit.Analysis;

/// <summary>
/// Splits <c>[0, count)</c> into a fixed number of contiguous chunks run with <see cref="Parallel.For(int, int, Action{int})"/>.
/// The chunking does not depend on the thread count, so per-chunk partial sums added in chunk order give the same
/// result on every run and machine.
/// </summary>
internal static class ParallelChunks
{
    /// <summary>How many chunks <see cref="For"/> uses for <paramref name="count"/> items.</summary>
    public static int ChunkCount(int count) => Math.Clamp(count / 64, 1, 64);

    /// <summary>Runs <paramref name="body"/>(start, end, chunk) for every chunk; returns the chunk count.</summary>
    public static int For(int count, Action<int, int, int> body)
    {
        int chunks = ChunkCount(count);
        if (chunks == 1)
        {
            body(0, count, 0);
            return 1;
        }
        Parallel.For(0, chunks, c => body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks), c));
        return chunks;
    }
}
