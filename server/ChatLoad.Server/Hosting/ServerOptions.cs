using System.ComponentModel.DataAnnotations;

namespace ChatLoad.Server.Hosting;

/// <summary>The connection model, chosen at start-up.</summary>
public enum ConnectionMode
{
    /// <summary>One dedicated OS thread per client, blocking socket I/O.</summary>
    Threads,

    /// <summary>Non-blocking sockets with System.IO.Pipelines; no thread per client.</summary>
    Async,
}

/// <summary>
/// Every server setting, bound from appsettings.json, CHATLOAD_ environment variables and the command line
/// (section "Server"; <c>--mode</c>, <c>--port</c> ... are mapped onto it). Each limit says its default and why.
/// </summary>
public sealed class ServerOptions
{
    public const string SectionName = "Server";

    /// <summary>threads or async. Required: there is no neutral default for the one thing we compare.</summary>
    [Required]
    public ConnectionMode? Mode { get; set; }

    /// <summary>TCP port to listen on. Default 6667 (IRC's customary plain-text port); 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 6667;

    /// <summary>Address to bind. Default 127.0.0.1: a load-test target should not be reachable from elsewhere by accident.</summary>
    [Required]
    public string Bind { get; set; } = "127.0.0.1";

    /// <summary>Name used as the source of server replies and in <c>PONG &lt;server-name&gt; x</c>. Default "chatload.local".</summary>
    [Required, RegularExpression(@"^[A-Za-z0-9.\-]{1,63}$")]
    public string ServerName { get; set; } = "chatload.local";

    /// <summary>Network name advertised in 005 NETWORK. Default "ChatLoad".</summary>
    public string NetworkName { get; set; } = "ChatLoad";

    /// <summary>Port of the Prometheus metrics endpoint on <see cref="Bind"/>; 0 = off. Default 0 (scripts pass one).</summary>
    [Range(0, 65535)]
    public int MetricsPort { get; set; }

    /// <summary>
    /// Most clients connected at once; over it a connection gets <c>ERROR :Server full</c>. Default 100,000 — above
    /// this machine's descriptor ceiling, so in practice the ceilings below decide. The threads model also stops
    /// below its thread ceiling (derived from vm.max_map_count), since past it the runtime kills the process.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxClients { get; set; } = 100_000;

    /// <summary>
    /// Outbound backlog per client in bytes (ergo's max-sendq). A client that falls this far behind is sent
    /// <c>ERROR :SendQ exceeded</c> and closed, so one slow reader cannot make the server buffer without bound.
    /// Default 64 KiB: ~128 full-length lines, far more than an interactive client ever lags.
    /// </summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int SendQueueBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Threads model: the longest a blocking send to one client may take before that client counts as a slow
    /// consumer and is closed. Bounds how long a client that stops reading can delay delivery to others. Default 2 s.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Idle time after which the server sends PING. Default 90 s (RFC 2812 leaves it to the server).</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Time to answer the server's PING before the client is dropped (<c>ERROR :Ping timeout</c>). Default 60 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time a connection may take to register (NICK+USER). Default 60 s, so half-open connections cannot pile up.</summary>
    public TimeSpan RegistrationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Graceful shutdown: how long to wait for clients to receive <c>ERROR :Server shutting down</c> before aborting. Default 5 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Server password (PASS); null or empty = none.</summary>
    public string? Password { get; set; }

    /// <summary>Message of the day lines; empty = 422 ERR_NOMOTD.</summary>
    public string? Motd { get; set; }

    /// <summary>Maximum nick length advertised (NICKLEN) and enforced. Default 30.</summary>
    [Range(1, 200)]
    public int NickLength { get; set; } = 30;

    /// <summary>Maximum channel name length advertised (CHANNELLEN) and enforced. Default 50 (RFC 2812).</summary>
    [Range(2, 200)]
    public int ChannelLength { get; set; } = 50;

    /// <summary>
    /// Channels one client may be in (CHANLIMIT). Default 100. Bounds per-client memory.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxChannelsPerClient { get; set; } = 100;

    /// <summary>
    /// Flood control (reserved for hardening; comparisons run with it off). Default off until it is built.
    /// </summary>
    public bool FloodControl { get; set; }

    /// <summary>
    /// Longest topic kept (TOPICLEN); longer ones are cut. Default 390: with the longest server name, nick and
    /// channel name, <c>332 nick #channel :topic</c> still fits in 512 bytes.
    /// </summary>
    [Range(1, 390)]
    public int TopicLength { get; set; } = 390;

    /// <summary>Longest KICK reason kept (KICKLEN); longer ones are cut. Default 255, so the KICK line fits in 512 bytes.</summary>
    [Range(1, 390)]
    public int KickLength { get; set; } = 255;

    /// <summary>Longest away message kept (AWAYLEN); longer ones are cut. Default 200, so 301 fits in 512 bytes.</summary>
    [Range(1, 390)]
    public int AwayLength { get; set; } = 200;

    /// <summary>
    /// Entries per channel list (bans +b, exceptions +e, invite exceptions +I), each (MAXLIST). Default 100: every
    /// message in a channel is checked against none of them (the result is cached per member), but each list costs
    /// memory and each change re-checks every member.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxListEntries { get; set; } = 100;

    /// <summary>Mode changes with a parameter accepted in one MODE command (MODES); the rest are ignored. Default 6.</summary>
    [Range(1, 100)]
    public int ModesPerCommand { get; set; } = 6;

    /// <summary>Nicks one client may watch with MONITOR. Default 100: bounds per-client memory and notification fan-out.</summary>
    [Range(1, 10_000)]
    public int MaxMonitorEntries { get; set; } = 100;

    /// <summary>
    /// Nicks remembered for WHOWAS, server-wide (a ring: the oldest is forgotten first). Default 1,000, about
    /// 200 KB: enough for "who was that?" after a netsplit-sized wave of quits, bounded under churn.
    /// </summary>
    [Range(1, 1_000_000)]
    public int WhowasHistoryLength { get; set; } = 1_000;

    /// <summary>
    /// IRC operators: OPER name and a PBKDF2 password hash (see <see cref="OperatorEntry"/>). Default none, so OPER
    /// is refused with 491 until an administrator configures one.
    /// </summary>
    public List<OperatorEntry> Operators { get; set; } = [];
}

/// <summary>
/// One IRC operator, checked by OPER. The password is stored as a hash in the form
/// <c>pbkdf2-sha256$iterations$salt$hash</c> (base64), never as plain text: make one with
/// <c>./scripts/server.sh hash-password</c>, which reads the password from standard input. Configure entries in
/// appsettings.json (<c>"Operators": [{"Name": ..., "PasswordHash": ...}]</c>) or as environment variables
/// (<c>CHATLOAD_Server__Operators__0__Name</c>, <c>CHATLOAD_Server__Operators__0__PasswordHash</c>).
/// </summary>
public sealed class OperatorEntry
{
    /// <summary>The name given to OPER.</summary>
    public string Name { get; set; } = "";

    /// <summary>The password's PBKDF2 hash.</summary>
    public string PasswordHash { get; set; } = "";
}
