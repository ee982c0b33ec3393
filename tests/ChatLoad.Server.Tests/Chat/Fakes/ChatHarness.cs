using System.Diagnostics.Metrics;
using System.Text;
using ChatLoad.Server.Chat;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using ChatLoad.Server.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatLoad.Server.Tests.Chat.Fakes;

/// <summary>A <see cref="ChatServer"/> on fake time with in-memory connections. Fails the test if a handler threw.</summary>
internal sealed class ChatHarness : IDisposable
{
    public const string ServerName = "test.server";
    private readonly ErrorCollectingLogger _logger = new();

    /// <param name="configure">Changes to the options. Flood control starts off here (unlike the server's default):
    /// these tests drive sessions faster than any client may send and fake time does not pass by itself, so the
    /// tests of flood control (FloodControlSessionTests) turn it on.</param>
    public ChatHarness(Action<ServerOptions>? configure = null)
    {
        Options = new ServerOptions { Mode = ConnectionMode.Async, ServerName = ServerName, NetworkName = "TestNet", FloodControl = false };
        configure?.Invoke(Options);
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        MeterFactory = new TestMeterFactory();
        Metrics = new ChatMetrics(MeterFactory);
        Server = new ChatServer(Microsoft.Extensions.Options.Options.Create(Options), Time, _logger, Metrics);
    }

    public ServerOptions Options { get; }
    public FakeTimeProvider Time { get; }
    public ChatServer Server { get; }
    public ChatMetrics Metrics { get; }
    public TestMeterFactory MeterFactory { get; }

    /// <summary>
    /// Moves fake time forward one second at a time, so the periodic sweep runs as often as it would in real time
    /// (a single big Advance would fire it once).
    /// </summary>
    public void Elapse(TimeSpan duration)
    {
        TimeSpan step = TimeSpan.FromSeconds(1);
        for (TimeSpan done = TimeSpan.Zero; done < duration; done += step)
            Time.Advance(duration - done < step ? duration - done : step);
    }

    public FakeClient Connect()
    {
        var connection = new FakeConnection();
        IConnectionSession session = Server.OnConnected(connection);
        connection.Session = session;
        return new FakeClient(connection, session);
    }

    /// <summary>Connects and registers; the welcome burst is already taken.</summary>
    public FakeClient Register(string nick)
    {
        FakeClient client = Connect();
        client.Send($"NICK {nick}");
        client.Send($"USER {nick.ToLowerInvariant()} 0 * :Real {nick}");
        List<string> welcome = client.Take();
        Assert.Contains(welcome, l => l.StartsWith($":{ServerName} 001 {nick} ", StringComparison.Ordinal));
        return client;
    }

    /// <summary>Registers <paramref name="count"/> clients and joins them all to <paramref name="channel"/>, then clears their inboxes.</summary>
    public List<FakeClient> RegisterInChannel(string channel, int count, string prefix = "user")
    {
        var clients = new List<FakeClient>();
        for (int i = 0; i < count; i++)
        {
            FakeClient client = Register($"{prefix}{i}");
            client.Send($"JOIN {channel}");
            clients.Add(client);
        }
        foreach (FakeClient client in clients)
            client.Take();
        return clients;
    }

    public void Dispose()
    {
        Server.Dispose();
        Metrics.Dispose();
        Assert.Empty(_logger.Errors);
    }

    private sealed class ErrorCollectingLogger : ILogger<ChatServer>
    {
        public List<string> Errors { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                lock (Errors)
                    Errors.Add(formatter(state, exception) + " " + exception);
            }
        }
    }
}

/// <summary>One in-memory client: lines in through the session, lines out from the fake connection.</summary>
internal sealed class FakeClient(FakeConnection connection, IConnectionSession session)
{
    public FakeConnection Connection { get; } = connection;
    public IConnectionSession Session { get; } = session;

    public void Send(string line) => Session.OnLine(Encoding.UTF8.GetBytes(line));
    public void SendBytes(byte[] line) => Session.OnLine(line);
    /// <summary>Everything received so far, read by a client that keeps up: streamed replies are read to the end.</summary>
    public List<string> Take()
    {
        var lines = new List<string>();
        do
        {
            lines.AddRange(Connection.TakeLines());
        }
        while (Connection.QueuedBytes > 0);
        return lines;
    }
    public void Disconnect(string reason) => Session.OnDisconnected(reason);
}

/// <summary>Hands out meters the test can tell apart from other tests' meters (they share a name).</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    public List<Meter> Meters { get; } = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        Meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (Meter meter in Meters)
            meter.Dispose();
    }
}
