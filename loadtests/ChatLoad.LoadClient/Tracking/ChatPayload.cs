using System.Buffers.Text;

namespace ChatLoad.LoadClient.Tracking;

/// <summary>
/// The text every tracked chat message carries: <c>&lt;senderId&gt; &lt;seq&gt; &lt;timestamp&gt; &lt;padding&gt;</c>.
/// The sender id and its per-sender sequence number let each receiver count loss, duplicates and order violations;
/// the send timestamp (<see cref="TimeProvider.GetTimestamp"/> ticks of the generator process, which both sends
/// and receives) gives the end-to-end latency. Formatting and parsing work on bytes and allocate nothing.
/// </summary>
/// <remarks>
/// REVIEW: the timestamp is taken when the line is handed to the socket, not the open model's scheduled time, so
/// the e2e latency is the server's path alone; a generator that falls behind shows in the iteration latency
/// (measured from the schedule) and in the engine's late-iteration count instead.
/// </remarks>
public static class ChatPayload
{
    /// <summary>Longest padding we put in a message: keeps <c>PRIVMSG &lt;target&gt; :&lt;payload&gt;</c> well inside
    /// the 512-byte IRC line with room for a 50-byte target and three 20-digit numbers.</summary>
    public const int MaxPaddingBytes = 380;

    /// <summary>Writes the payload into <paramref name="destination"/>; returns the byte count, or -1 when it does not fit.</summary>
    public static int Format(Span<byte> destination, int senderId, long sequence, long timestamp, int paddingBytes)
    {
        if ((uint)paddingBytes > MaxPaddingBytes)
            throw new ArgumentOutOfRangeException(nameof(paddingBytes), paddingBytes, $"padding must be 0..{MaxPaddingBytes} bytes");
        int n = 0;
        if (!Utf8Formatter.TryFormat(senderId, destination, out int w)) return -1;
        n += w;
        if (!TryPut(destination, ref n, (byte)' ')) return -1;
        if (!Utf8Formatter.TryFormat(sequence, destination[n..], out w)) return -1;
        n += w;
        if (!TryPut(destination, ref n, (byte)' ')) return -1;
        if (!Utf8Formatter.TryFormat(timestamp, destination[n..], out w)) return -1;
        n += w;
        if (paddingBytes > 0)
        {
            if (!TryPut(destination, ref n, (byte)' ')) return -1;
            if (destination.Length - n < paddingBytes) return -1;
            destination.Slice(n, paddingBytes).Fill((byte)'x');
            n += paddingBytes;
        }
        return n;
    }

    /// <summary>Reads sender id, sequence and timestamp; false for any text not in our format (a foreign message).</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out int senderId, out long sequence, out long timestamp)
    {
        sequence = 0;
        timestamp = 0;
        if (!Utf8Parser.TryParse(text, out senderId, out int used) || senderId < 0 || !NextField(ref text, used))
            return false;
        if (!Utf8Parser.TryParse(text, out sequence, out used) || sequence < 0 || !NextField(ref text, used))
            return false;
        if (!Utf8Parser.TryParse(text, out timestamp, out used))
            return false;
        return used == text.Length || text[used] == (byte)' ';
    }

    // Moves past a number and exactly one space; false when the number is not followed by a space.
    private static bool NextField(ref ReadOnlySpan<byte> text, int used)
    {
        if (used >= text.Length || text[used] != (byte)' ')
            return false;
        text = text[(used + 1)..];
        return true;
    }

    private static bool TryPut(Span<byte> destination, ref int n, byte value)
    {
        if (n >= destination.Length) return false;
        destination[n++] = value;
        return true;
    }
}
