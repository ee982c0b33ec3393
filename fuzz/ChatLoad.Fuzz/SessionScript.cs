using ChatLoad.Irc;
using ChatLoad.Server.Chat;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using ChatLoad.Server.Transports;
using Microsoft.Extensions.Time.Testing;

namespace ChatLoad.Fuzz;

/// <summary>
/// One fuzz input, read as a script for up to <see cref="Clients"/> clients of one fresh chat core on fake time, with
/// the server's default options (flood control, limits, enforce-utf8 on). Each step starts with a header byte:
/// its low 2 bits pick the client, the next 2 bits the operation —
/// <list type="bullet">
/// <item>0: the next byte is a length N; the N bytes after it arrive from that client in one read;</item>
/// <item>3: the same, one byte per read (every split of a line);</item>
/// <item>1: the next byte times 100 ms of fake time pass (held lines run, timeouts fire);</item>
/// <item>2: the client's connection drops (and a fresh one takes its place).</item>
/// </list>
/// The bytes go through the real line framer to the real session, command table and registries, as a transport
/// would hand them over. A bound broken anywhere throws <see cref="BoundBroken"/>, which AFL++ records as a crash:
/// every line sent is CRLF-terminated, at most 512 bytes, without CR, LF or NUL inside, valid UTF-8; no line costs more
/// than <see cref="MaxAllocatedBytesPerLine"/>; partial input kept never passes 512 bytes; held lines never pass
/// FloodMaxQueuedLines; no handler throws (the logger turns a logged error into a crash); and once every client
/// has left, no session, nick or channel is left behind.
/// </summary>
internal static class SessionScript
{
    public const int Clients = 4;

    /// <summary>Most bytes one line may allocate in the core. The largest legitimate case is a JOIN of many channels
    /// (30 by the join/part budget), each with its JOIN line, NAMES reply and channel state: tens of KB.</summary>
    public const long MaxAllocatedBytesPerLine = 256 * 1024;

    public static void Run(ReadOnlySpan<byte> script)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new ServerOptions { Mode = ConnectionMode.Async, ServerName = "fuzz.server", MaxChannels = 64 };
        using var metrics = new ChatMetrics();
        using var server = new ChatServer(Microsoft.Extensions.Options.Options.Create(options), time, new CrashOnErrorLogger(), metrics);

        var clients = new FuzzClient[Clients];
        for (int i = 0; i < Clients; i++)
            clients[i] = FuzzClient.Connect(server, options);

        int pos = 0;
        while (pos < script.Length)
        {
            byte header = script[pos++];
            int slot = header & 3;
            switch ((header >> 2) & 3)
            {
                case 1:
                    int steps = pos < script.Length ? script[pos++] : 1;
                    time.Advance(TimeSpan.FromMilliseconds(100 * steps));
                    break;
                case 2:
                    clients[slot].Drop("Connection reset by peer");
                    clients[slot] = FuzzClient.Connect(server, options);
                    break;
                default:
                    int length = pos < script.Length ? script[pos++] : 0;
                    length = Math.Min(length, script.Length - pos);
                    if (clients[slot].IsClosed)
                        clients[slot] = FuzzClient.Connect(server, options); // the transport would not deliver any more
                    clients[slot].Receive(script.Slice(pos, length), oneBytePerRead: (header & 0x0C) == 0x0C);
                    pos += length;
                    break;
            }
            foreach (FuzzClient client in clients)
                client.CheckBounds(options);
        }

        foreach (FuzzClient client in clients)
            client.Drop("end of script");
        if (server.ConnectionCount != 0 || server.NickCount != 0 || server.ChannelCount != 0)
            throw new BoundBroken($"state left behind: {server.ConnectionCount} sessions, {server.NickCount} nicks, {server.ChannelCount} channels");
    }
}

/// <summary>A bound the fuzz target checks was broken: AFL++ saves the input as a crash.</summary>
internal sealed class BoundBroken(string message, Exception? inner = null) : Exception(message, inner);
