using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Commands;
using ChatLoad.Server.Chat.Limits;
using ChatLoad.Server.Chat.Nicks;
using ChatLoad.Server.Chat.Sessions;
using ChatLoad.Server.Chat.Users;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Chat;

/// <summary>
/// Everything the sessions of one server share: settings, clock, the nick and channel registries, the connected
/// sessions, the command table. Sessions and command handlers reach it through <see cref="ClientSession.Network"/>.
/// </summary>
internal sealed class ChatNetwork
{
    /// <summary>Shown in 002/004. A constant: the protocol core has no separate release cycle.</summary>
    public const string ServerVersion = "chatload-1.0";

    private volatile bool _shuttingDown;
    private long _lastMessageId;
    private readonly string _messageIdPrefix = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();

    public ChatNetwork(ServerOptions options, TimeProvider time, ILogger logger, ChatMetrics metrics)
    {
        Options = options;
        Time = time;
        Logger = logger;
        Metrics = metrics;
        ServerName = options.ServerName;
        StartedAt = time.GetUtcNow();
        Limits = new ChatLimits(options, time);
        Nicks = new NickRegistry();
        Channels = new ChannelRegistry(options.MaxChannels);
        Sessions = new SessionTable();
        Counts = new UserCounts();
        Whowas = new WhowasHistory(options.WhowasHistoryLength);
        Monitors = new MonitorRegistry();
        Greeting = new ServerGreeting(options, StartedAt);
        Commands = CommandDispatcher.CreateDefault();
        PingLine = FormatPing(ServerName);
    }

    public ServerOptions Options { get; }
    public TimeProvider Time { get; }
    public ILogger Logger { get; }
    public ChatMetrics Metrics { get; }
    public string ServerName { get; }
    public DateTimeOffset StartedAt { get; }
    public ChatLimits Limits { get; }
    public NickRegistry Nicks { get; }
    public ChannelRegistry Channels { get; }
    public SessionTable Sessions { get; }

    /// <summary>Registered, invisible and operator counts for LUSERS.</summary>
    public UserCounts Counts { get; }

    /// <summary>Nicks recently given up, for WHOWAS.</summary>
    public WhowasHistory Whowas { get; }

    /// <summary>Who MONITORs whom.</summary>
    public MonitorRegistry Monitors { get; }
    public ServerGreeting Greeting { get; }
    public CommandDispatcher Commands { get; }

    /// <summary><c>PING :&lt;server&gt;</c>, serialized once and shared by every idle client the sweep pings.</summary>
    public byte[] PingLine { get; }

    /// <summary>Set once shutdown starts: departures then skip the QUIT fan-out, since every member is leaving too.</summary>
    public bool IsShuttingDown => _shuttingDown;

    public void BeginShutdown() => _shuttingDown = true;

    /// <summary>
    /// A message id (IRCv3 <c>msgid</c>) unique for this server's life: a random per-start prefix, so ids do not
    /// repeat across restarts, and a counter. Only built for recipients that negotiated message-tags.
    /// </summary>
    public string NextMessageId() => _messageIdPrefix + Interlocked.Increment(ref _lastMessageId).ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] FormatPing(string serverName)
    {
        var line = new Irc.IrcLineBuilder(new byte[Irc.IrcLimits.MaxLineBytes]);
        line.AppendCommand("PING");
        line.AppendTrailing(serverName);
        return line.ToArray();
    }
}
