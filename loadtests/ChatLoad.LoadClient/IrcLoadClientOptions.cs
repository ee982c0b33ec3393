using System.Net;
using System.Net.Sockets;

namespace ChatLoad.LoadClient;

/// <summary>How one load client connects and how long it waits. Shared by every client of a run (one instance).</summary>
public sealed record IrcLoadClientOptions
{
    /// <summary>The IRC server (<c>IrcLoadClientOptions.ParseEndPoint("127.0.0.1:6667")</c> reads <c>--target</c>).</summary>
    public required IPEndPoint Server { get; init; }

    /// <summary>The clock for timeouts and send timestamps: the scenario's <c>context.Time</c>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Receives every event a client sees that a scenario may count.</summary>
    public IClientObserver Observer { get; init; } = NullClientObserver.Instance;

    /// <summary>Longest TCP connect. Default 10 s: longer than the kernel's SYN retry at 1 s and 3 s, so a full
    /// accept backlog shows up as slow connects, then as "timeout", instead of hanging a client for minutes.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for a reply the client asked for (001 after NICK/USER, 366 after JOIN, PONG).
    /// Default 10 s: a server that needs longer is failing the test, and the failure says so.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>After QUIT, how long to wait for the server to close. Default 2 s; then the socket is closed anyway.</summary>
    public TimeSpan QuitTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Bytes rented per read once data is waiting. Default 4 KiB: room for several full IRC lines, small enough
    /// that thousands of clients reading at once stay cheap. Idle clients hold no read buffer at all.</summary>
    public int ReadChunkBytes { get; init; } = 4096;

    /// <summary>SO_RCVBUF for the socket; 0 leaves the kernel default. The slow-consumer scenario makes it small so a
    /// client that stops reading fills the path to the server quickly.</summary>
    public int ReceiveBufferBytes { get; init; }

    /// <summary>Reads <c>HOST:PORT</c> (<c>--target</c>); the host an IP address or a name (resolved now, IPv4 preferred).
    /// Throws <see cref="ArgumentException"/> with the reason.</summary>
    public static IPEndPoint ParseEndPoint(string target)
    {
        int colon = target.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(target.AsSpan(colon + 1), out int port) || port is < 1 or > 65535)
            throw new ArgumentException($"--target '{target}' is not HOST:PORT (e.g. 127.0.0.1:6667)");
        string host = target[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var address))
            return new IPEndPoint(address, port);
        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(host);
        }
        catch (SocketException e)
        {
            throw new ArgumentException($"--target host '{host}' does not resolve: {e.Message}");
        }
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new ArgumentException($"--target host '{host}' has no address");
        return new IPEndPoint(chosen, port);
    }
}

/// <summary>What a scenario may want to know from a client's receive loop. Called on that loop: keep it short.</summary>
public interface IClientObserver
{
    /// <summary>A PRIVMSG or NOTICE reached <paramref name="receiver"/>; <paramref name="text"/> is its last parameter.</summary>
    void OnChatMessage(IrcLoadClient receiver, ReadOnlySpan<byte> text);

    /// <summary>The server answered one of our PINGs with <paramref name="sequence"/> (the ping-pong scenario).</summary>
    void OnPong(IrcLoadClient receiver, long sequence);

    /// <summary>The connection ended; <paramref name="reason"/> is a short status ("closed", "reset", "sendq exceeded").</summary>
    void OnClosed(IrcLoadClient client, string reason);
}

internal sealed class NullClientObserver : IClientObserver
{
    public static readonly NullClientObserver Instance = new();
    public void OnChatMessage(IrcLoadClient receiver, ReadOnlySpan<byte> text) { }
    public void OnPong(IrcLoadClient receiver, long sequence) { }
    public void OnClosed(IrcLoadClient client, string reason) { }
}
