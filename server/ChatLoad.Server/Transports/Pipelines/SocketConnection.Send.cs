using System.Net.Sockets;

namespace ChatLoad.Server.Transports.Pipelines;

internal sealed partial class SocketConnection : IQueuedWriter
{
    /// <summary>
    /// Wakes the writer by linking this connection into its <see cref="WriterRunQueue"/> (no allocation): one
    /// thread-pool pass runs every writer woken meanwhile, so a fan-out to a room costs one work item, not one per
    /// member. Never writes inline: the caller may be a sender in the middle of a fan-out, or hold a lock, and a
    /// send is a syscall that is not its to make. Measured against one work item per recipient (this method's
    /// earlier form): see the README's "Server performance".
    /// </summary>
    protected override void WakeWriter() => Context.WriterRunQueueFor(Id).Wake(this);

    IQueuedWriter? IQueuedWriter.NextQueued { get; set; }

    void IQueuedWriter.RunWriter() => _ = DrainAsync();

    // The one writer of this connection: runs only while there is something to send, so an idle connection holds
    // no writer state (its batch, and on the .NET engine its sender, are borrowed for the drain). In the common case
    // the socket takes the bytes at once, the method completes synchronously and nothing is allocated; only a send
    // that has to wait for the peer suspends it. Nobody awaits it: every failure ends in WriteFailed.
    private async ValueTask DrainAsync()
    {
        WriteBatch batch = WriterPool<WriteBatch>.Rent();
        // Only .NET's own send needs event args; our sendmsg (epoll) and SslStream (TLS) take the batch as it is.
        SocketSender? sender = _tls is null && _readiness is null ? WriterPool<SocketSender>.Rent() : null;
        try
        {
            while (true)
            {
                switch (TakeBatch(batch, out long bytes))
                {
                    case WriterStep.Idle or WriterStep.Stop:
                        return;
                    case WriterStep.SendFin:
                        if (_tls is not null)
                            await _tls.SendCloseNotifyAsync().ConfigureAwait(false);
                        ShutdownSend();
                        FinSent();
                        return;
                }
                if (_tls is not null)
                {
                    await _tls.WriteAsync(batch, bytes).ConfigureAwait(false);
                }
                else if (_readiness is not null)
                {
                    // Our readiness: a non-blocking sendmsg here, in the writer's pass; only a peer whose window is
                    // full makes the writer wait, for the engine's writability edge.
                    await _readiness.SendAsync(batch, bytes).ConfigureAwait(false);
                }
                else
                {
                    // A stream socket's async send completes only once every byte is written.
                    int sent = await sender!.SendAsync(_socket, batch).ConfigureAwait(false);
                    sender.Reset();
                    if (sent < bytes)
                        throw new SocketException((int)SocketError.ConnectionAborted);
                }
                batch.Clear();
                BatchWritten(bytes);
            }
        }
        catch (Exception ex)
        {
            if (ex is not (SocketException or ObjectDisposedException or OperationCanceledException))
                TransportLog.ConnectionFailed(Context.Logger, Id, ex);
            WriteFailed(ex is SocketException socketError ? socketError.SocketErrorCode.ToString() : ex.GetType().Name);
        }
        finally
        {
            batch.Clear(); // a pooled batch keeps no client's bytes alive
            WriterPool<WriteBatch>.Return(batch);
            if (sender is not null)
            {
                sender.Reset();
                WriterPool<SocketSender>.Return(sender);
            }
        }
    }

    // Everything, the ERROR line included, is written: FIN. The receive loop goes on until the peer closes too
    // (or the close deadline resets the connection).
    private void ShutdownSend()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }
}
