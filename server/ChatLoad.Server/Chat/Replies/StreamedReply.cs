using System.Buffers;

namespace ChatLoad.Server.Chat.Replies;

/// <summary>
/// A reply to a client's own command that may be longer than its SendQ can take at once — NAMES or WHO of a
/// channel of thousands, a long MOTD (later LIST and WHOIS) — written a part at a time as the client reads it
/// (<see cref="ReplyStream"/>). A reply keeps only a cursor into an immutable snapshot (a channel's member array is
/// replaced, never changed), so a paused reply costs a few words and shows what was there when it was asked for.
/// </summary>
internal abstract class StreamedReply
{
    /// <summary>
    /// Appends the next complete lines to <paramref name="output"/>: at most about <paramref name="budgetBytes"/>,
    /// and always at least one line, so every call makes progress. Adds how many lines to <paramref name="lines"/>.
    /// Returns true once the reply is complete (its end numeric written).
    /// </summary>
    public abstract bool WriteNext(ArrayBufferWriter<byte> output, int budgetBytes, ref int lines);
}
