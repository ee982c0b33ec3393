using System.Net.Sockets;

namespace ChatLoad.Server.Transports;

/// <summary>
/// How a model waits for new connections — the one part of listening that differs between them: a blocking
/// <c>Accept</c> on a thread of its own (Threads/) or <c>AcceptAsync</c> (Pipelines/). Everything after the
/// accept (admission, the session, shutdown) is <see cref="ConnectionListener"/>'s, the same for both.
/// </summary>
internal interface IAcceptLoop
{
    /// <summary>
    /// Accepts from <paramref name="listenSocket"/> in the background until it is disposed, handing every socket to
    /// <paramref name="accepted"/> on the loop's own thread. A failed accept goes to <paramref name="failed"/>,
    /// which says how long to back off, or null to stop.
    /// </summary>
    void Start(Socket listenSocket, Action<Socket> accepted, Func<Exception, TimeSpan?> failed);

    /// <summary>Called after the listening socket was disposed: waits (bounded) for the loop to end.</summary>
    void Stop();
}
