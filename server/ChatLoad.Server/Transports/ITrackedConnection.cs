namespace ChatLoad.Server.Transports;

/// <summary>A connection a listener can close politely or abort at shutdown.</summary>
internal interface ITrackedConnection : IClientConnection
{
    /// <summary>Closes at once without flushing (RST-like): the last stage of shutdown.</summary>
    void Abort();
}
