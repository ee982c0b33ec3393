using System.Net;

namespace ChatLoad.LoadTests.Client;

/// <summary>How one load client connects and how long it waits. Shared by every client of a run (one instance).</summary>
internal sealed record LoadClientOptions
{
    public required IPEndPoint Server { get; init; }

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
}

/// <summary>What a scenario may want to know from a client's receive loop. Called on that loop: keep it short.</summary>
internal interface IClientObserver
{
    /// <summary>A PRIVMSG or NOTICE reached <paramref name="receiver"/>; <paramref name="text"/> is its last parameter.</summary>
    void OnChatMessage(LoadClient receiver, ReadOnlySpan<byte> text);

    /// <summary>The server answered one of our PINGs with <paramref name="sequence"/> (the ping-pong scenario).</summary>
    void OnPong(LoadClient receiver, long sequence);

    /// <summary>The connection ended; <paramref name="reason"/> is a short status ("closed", "reset", "sendq exceeded").</summary>
    void OnClosed(LoadClient client, string reason);
}

internal sealed class NullClientObserver : IClientObserver
{
    public static readonly NullClientObserver Instance = new();
    public void OnChatMessage(LoadClient receiver, ReadOnlySpan<byte> text) { }
    public void OnPong(LoadClient receiver, long sequence) { }
    public void OnClosed(LoadClient client, string reason) { }
}
