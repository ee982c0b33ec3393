namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>
/// The segments of one vectored write, filled by the connection's TakeBatch and sent by whichever path the connection
/// has (SocketReadiness's sendmsg, TlsChannel, a <see cref="SocketSender"/>). Made the size of a full write, so it
/// never grows; borrowed from <see cref="WriterPool{T}"/> for one drain, so an idle connection holds none.
/// </summary>
internal sealed class WriteBatch() : List<ArraySegment<byte>>(TransportConnection.MaxSegmentsPerWrite);
