using ChatLoad.Server.Chat.Sessions;
using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Chat.Replies;

/// <summary>
/// One session's streamed replies, in order, and the backpressure that paces them — ChatLoad's answer to "a
/// client's own replies must never get it dropped". A reply is queued only while the client's backlog is at most
/// a quarter of its SendQ, and only up to half of it; past that the client's input is paused
/// (<see cref="IClientConnection.PauseInputUntilDrained"/>) until the backlog is back to a quarter, and the reply
/// goes on where it stopped. The other half of the SendQ stays free for what others send the client meanwhile.
/// So a client that reads gets a reply of any length, and one that does not read is dropped by its SendQ as
/// before, for what others send it. What is queued stays within half the SendQ; what waits is a cursor into a
/// snapshot for NAMES and WHO of a channel (a few words), the built reply for the others (<see cref="PrebuiltReply"/>).
/// (Ergo instead exempts a client's own replies from its sendq and stops reading its input until they drain.)
/// </summary>
internal sealed class ReplyStream
{
    /// <summary>Largest part sent at once; a larger budget is sent as several parts.</summary>
    internal const int MaxPartBytes = 16 * 1024;

    private readonly Queue<StreamedReply> _waiting = new();

    /// <summary>True while a reply waits for the client to read.</summary>
    public bool IsWaiting => _waiting.Count > 0;

    /// <summary>
    /// Writes <paramref name="reply"/> after any still waiting in <paramref name="stream"/>, as far as the client's
    /// backlog allows now; what has to wait goes into <paramref name="stream"/>, created then (a session whose
    /// replies never wait, nearly all of them, never holds one).
    /// </summary>
    public static void Send(ClientSession client, ref ReplyStream? stream, StreamedReply reply)
    {
        if (stream is { IsWaiting: true })
        {
            stream._waiting.Enqueue(reply);
            return;
        }
        if (!WriteWhileThereIsRoom(client, reply))
            (stream ??= new ReplyStream())._waiting.Enqueue(reply);
    }

    /// <summary>Goes on with the waiting replies (the client's input has resumed: it has read).</summary>
    public void Continue(ClientSession client)
    {
        while (_waiting.TryPeek(out StreamedReply? reply))
        {
            if (!WriteWhileThereIsRoom(client, reply))
                return; // OnInputResumed brings us back
            _waiting.Dequeue();
        }
    }

    /// <summary>The client is gone: drop what was waiting (and the snapshots it held).</summary>
    public void Clear() => _waiting.Clear();

    // Writes parts of the reply while the backlog allows; true once it is complete, false when the client's input
    // was paused to wait for it to read.
    private static bool WriteWhileThereIsRoom(ClientSession client, StreamedReply reply)
    {
        IClientConnection connection = client.Connection;
        long sendQueue = client.Network.Options.SendQueueBytes;
        long resumeAt = sendQueue / 4;
        long fillTo = sendQueue / 2;
        while (true)
        {
            long backlog = connection.QueuedBytes;
            if (backlog > resumeAt)
            {
                if (connection.PauseInputUntilDrained(resumeAt))
                    return false;
                continue; // it drained meanwhile
            }
            int budget = (int)Math.Min(fillTo - backlog, MaxPartBytes);
            bool done = reply.SendNext(client, budget);
            if (done)
                return true;
        }
    }
}
