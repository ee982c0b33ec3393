namespace ChatLoad.Server.Hosting;

/// <summary>
/// Implemented by the chat core so the shutdown sequence can close every client through it (it knows the
/// sessions, and sends <c>ERROR :reason</c> in order after what each client already has queued).
/// </summary>
public interface IServerShutdown
{
    /// <summary>Closes every client with <c>ERROR :<paramref name="reason"/></c>. Must not block on slow clients beyond the transport's bounds.</summary>
    void CloseAllClients(string reason);
}
