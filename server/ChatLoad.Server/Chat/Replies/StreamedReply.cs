namespace ChatLoad.Server.Chat.Replies;

/// <summary>
/// A reply to a client's own command that may be longer than its SendQ can take at once — NAMES or WHO of a
/// channel of thousands, LIST or WHO of a big server, a long MOTD — sent a part at a time as the client reads it
/// (<see cref="ReplyStream"/>). NAMES and WHO keep only a cursor into an immutable snapshot (a channel's member array
/// is replaced, never changed), so a paused one costs a few words and shows what was there when it was asked for;
/// other replies are built whole first (<see cref="PrebuiltReply"/>).
/// </summary>
internal abstract class StreamedReply
{
    /// <summary>
    /// Sends the next part to <paramref name="client"/> (one Send): about <paramref name="budgetBytes"/> at most,
    /// and always at least one line, so every call makes progress. Returns true once the reply is complete.
    /// </summary>
    public abstract bool SendNext(Sessions.ClientSession client, int budgetBytes);
}
