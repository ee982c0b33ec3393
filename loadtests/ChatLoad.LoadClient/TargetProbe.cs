using System.Net;
using System.Net.Sockets;
using ChatLoad.LoadEngine;

namespace ChatLoad.LoadClient;

/// <summary>
/// One TCP connect to the target before a scenario opens its clients: a server that is not running is reported
/// as that (exit code 3), in one line, instead of as thousands of failed clients and a table of zeros.
/// </summary>
internal static class TargetProbe
{
    /// <summary>Longest the probe waits. Default 5 s: a live server on loopback accepts in microseconds; a busy one
    /// still within a second or two.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task EnsureReachableAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await socket.ConnectAsync(target, deadline.Token);
        }
        catch (SocketException e)
        {
            throw new TargetUnreachableException($"{target}: {FailureReasons.Classify(e.SocketErrorCode)} ({e.Message})", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TargetUnreachableException($"{target}: no answer within {Timeout.TotalSeconds:0} s", e);
        }
    }
}
