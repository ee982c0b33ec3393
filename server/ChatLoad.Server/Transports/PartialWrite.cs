namespace ChatLoad.Server.Transports;

/// <summary>The one rule both models' writers follow after a partial write.</summary>
internal static class PartialWrite
{
    /// <summary>
    /// Removes the <paramref name="written"/> bytes from the front of <paramref name="batch"/>: the segments written
    /// whole, then the head of a segment written in part, so the rest is sent next.
    /// </summary>
    public static void DropWritten(List<ArraySegment<byte>> batch, long written)
    {
        int whole = 0;
        while (whole < batch.Count && written >= batch[whole].Count)
            written -= batch[whole++].Count;
        batch.RemoveRange(0, whole);
        if (written > 0)
            batch[0] = batch[0][(int)written..];
    }
}
