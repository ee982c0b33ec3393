using System.ComponentModel.DataAnnotations;
using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Hosting;

/// <summary>The connection model, chosen at start-up.</summary>
public enum ConnectionMode
{
    /// <summary>One dedicated OS thread per client, blocking socket I/O.</summary>
    Threads,

    /// <summary>Non-blocking sockets with System.IO.Pipelines; no thread per client.</summary>
    Async,
}

/// <summary>Where the async model's plain-TCP sockets get their readiness from (ServerOptions.SocketEngine).</summary>
public enum SocketEngine
{
    /// <summary>Our own: one epoll set, edge-triggered, non-blocking recv and sendmsg (Linux).</summary>
    Epoll,

    /// <summary>.NET's own: Socket.ReceiveAsync / SendAsync on the runtime's SocketAsyncEngine.</summary>
    Dotnet,
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

    /// <summary>
    /// Port of the optional TLS listener on <see cref="Bind"/> (IRC over TLS, RFC 7194's 6697); 0 = off. Default 0.
    /// Both models serve it: the threads model runs a blocking SslStream on the client's own threads, the async model
    /// an SslStream read into its pipes. Its connections count against the same admission limits as plain ones.
    /// </summary>
    [Range(0, 65535)]
    public int TlsPort { get; set; }

    /// <summary>
    /// The TLS certificate: a PEM file (with <see cref="TlsKey"/>, or with the key in the same file) or a PKCS#12
    /// (.pfx/.p12) file. Default empty: a self-signed certificate for <see cref="ServerName"/>, localhost and
    /// 127.0.0.1 is generated at start (for local use: clients must be told not to verify it).
    /// </summary>
    public string TlsCertificate { get; set; } = "";

    /// <summary>The PEM private key of <see cref="TlsCertificate"/> when it is in a separate file. Default empty.</summary>
    public string TlsKey { get; set; } = "";

    /// <summary>Password of a PKCS#12 <see cref="TlsCertificate"/> (or of an encrypted PEM key). Default empty.</summary>
    public string TlsCertificatePassword { get; set; } = "";

    /// <summary>
    /// Longest a TLS handshake may take, from accept to its end; a client that stops halfway is reset then. Default
    /// 10 s: a handshake takes a few round trips, and an unfinished one holds a descriptor, an admission slot and
    /// (threads model) two threads.
    /// </summary>
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// TLS handshakes in progress at once; one more connection to the TLS port gets <c>ERROR :Too many TLS handshakes
    /// in progress</c> (in plain text: it has no TLS session yet) and is closed. Default 64: a handshake costs CPU (an
    /// RSA or ECDSA signature), so a crowd of half-finished ones must not queue behind each other without bound; every
    /// one also counts against MaxClients and the per-address limits.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxTlsHandshakes { get; set; } = 64;

    /// <summary>Name used as the source of server replies and in <c>PONG &lt;server-name&gt; x</c>. Default "chatload.local".</summary>
    [Required, RegularExpression(@"^[A-Za-z0-9.\-]{1,63}$")]
    public string ServerName { get; set; } = "chatload.local";

    /// <summary>Network name advertised in 005 NETWORK. Default "ChatLoad".</summary>
    public string NetworkName { get; set; } = "ChatLoad";

    /// <summary>Port of the Prometheus metrics endpoint on <see cref="MetricsBind"/>; 0 = off. Default 0 (scripts pass one).</summary>
    [Range(0, 65535)]
    public int MetricsPort { get; set; }

    /// <summary>
    /// Address the metrics endpoint binds, separate from <see cref="Bind"/>. Default 127.0.0.1 whatever the IRC bind:
    /// the figures (memory, clients, errors) are for the operator and the load suite on this machine, not for the
    /// chat's users, so opening the chat port to a network must not open the metrics port with it.
    /// </summary>
    [Required]
    public string MetricsBind { get; set; } = "127.0.0.1";

    /// <summary>
    /// Most HTTP connections the metrics endpoint holds at once; one more gets <c>503</c> and is closed at once.
    /// Default 8: a scraper needs one (the load suite, Prometheus, a person with curl). They are reserved from the
    /// descriptor budget before the IRC ceiling is computed, so HTTP clients can never take a descriptor an IRC
    /// client needs, nor make the process run out of them.
    /// </summary>
    [Range(1, 1024)]
    public int MetricsMaxConnections { get; set; } = 8;

    /// <summary>
    /// Longest one metrics exchange may take, from connect to the last byte of the response: it is the header
    /// timeout (a request head not complete by then is dropped) and the idle timeout (the endpoint answers one
    /// request per connection, <c>Connection: close</c>, so nothing idles after it). Default 5 s: a scrape takes
    /// milliseconds, and a client holding a slot longer is either broken or hostile.
    /// </summary>
    public TimeSpan MetricsRequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most clients connected at once; over it a connection gets <c>ERROR :Server full</c>. Default 100,000 — above
    /// this machine's descriptor ceiling, so in practice the ceilings below decide. The threads model also stops
    /// below its thread ceiling (derived from vm.max_map_count), since past it the runtime kills the process.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxClients { get; set; } = 100_000;

    /// <summary>
    /// Descriptors kept free below the open-file limit when the connection ceiling is computed at start: for the
    /// listeners, the metrics endpoint's own sockets beyond its reserve, log files and the runtime's own (epoll, timers).
    /// Default 64. Lower it only to test what happens past the ceiling: a negative value puts the ceiling above the
    /// limit, so the accept loops meet EMFILE, which the server survives (existing clients are served; a waiting one is
    /// told <c>ERROR :Server out of file descriptors</c>).
    /// </summary>
    [Range(-100_000, 100_000)]
    public int DescriptorHeadroom { get; set; } = ConnectionCeiling.DefaultDescriptorHeadroom;

    /// <summary>
    /// Connections one source address may hold at once; one more gets <c>ERROR :Too many connections from your
    /// address</c>. 0 = unlimited. Default 16 (ergo's max-concurrent-connections): a household or an office behind
    /// one NAT address runs a few clients, while without a cap one address held all 500 slots of a
    /// <c>--max-clients 500</c> server and kept every other client out. Loopback is not exempt by default (the
    /// probe that found this ran on 127.0.0.1 against 127.0.0.2); load tests lift it explicitly.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxConnectionsPerAddress { get; set; } = 16;

    /// <summary>
    /// New connections one source address may open back to back before the connect throttle spaces them out (one
    /// more every <see cref="ConnectIntervalPerAddress"/>); a connection over it gets <c>ERROR :Connecting too fast
    /// from your address; try again in N s</c>. 0 = unlimited. Default 16: a client restarting, or a few behind one
    /// NAT, connect at once; a loop that reconnects each time the registration timeout drops it is slowed to the
    /// interval.
    /// </summary>
    [Range(0, 1_000_000)]
    public int ConnectBurstPerAddress { get; set; } = 16;

    /// <summary>Time that earns one more connect once an address's burst is spent. Default 2 s (30 connects a minute).</summary>
    public TimeSpan ConnectIntervalPerAddress { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Source networks exempt from both per-address limits, comma-separated CIDRs or addresses
    /// (<c>127.0.0.0/8,10.0.0.0/8</c>). Default none: every address is limited, loopback included (state the
    /// exemption for a trusted bouncer or a load generator explicitly).
    /// </summary>
    public string PerAddressExempt { get; set; } = "";

    /// <summary>
    /// Outbound backlog per client in bytes (ergo's max-sendq). A client that falls this far behind is sent
    /// <c>ERROR :SendQ exceeded</c> and closed, so one slow reader cannot make the server buffer without bound.
    /// Long replies to the client's own commands (NAMES, WHO, MOTD) are streamed within half of it as the client
    /// reads, so they never cost it the connection. Default 64 KiB: ~128 full-length lines, far more than an
    /// interactive client ever lags.
    /// </summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int SendQueueBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The close deadline, both models: once a client is being closed (SendQ exceeded, ping timeout, QUIT,
    /// shutdown), how long its last output and <c>ERROR</c> line may take to be written and the peer to close,
    /// before the connection is reset (RST). Bounds what a client that stops reading costs once it is being
    /// dropped; it delays nobody else (every client has its own writer). Default 2 s.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Send coalescing, both models: under steady fan-out traffic a client's lines within this window leave in one
    /// vectored write (one syscall, one segment, one wakeup of the reader) instead of one each. Adaptive, not a tick,
    /// so a quiet server and a lone line wait for nothing. Async: a woken writer runs this long after its wake (after
    /// the first line queued since its last write) — Nagle's rule with a clock instead of an ACK — and at once when
    /// only a few writers were woken within the last window or so (replies, not a fan-out). Threads: a client's
    /// writer thread that wrote less than the window ago waits out the rest of it before its next write, staying the
    /// active writer so senders only queue (no wake per delivery); its first write after a quiet spell goes at once,
    /// and the wait ends early once a quarter of the SendQ (or 64 lines) is queued or the connection closes, so a
    /// reader that keeps up is never dropped because its writer waited. No line waits much longer than the window.
    /// 0 = off. It trades latency for server CPU per delivery; default 10 ms, measured in the README's "Server
    /// performance" (async, rooms of 100 at 198,000 deliveries/s: 37% less CPU than no window with the earlier
    /// per-pass rule, p99 14 ms; held per writer, 11–15% fewer segments per delivery again; threads: "The threads
    /// model's writer window").
    /// </summary>
    public TimeSpan SendCoalescingWindow { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Async model, plain-TCP connections: <c>epoll</c> = readiness of our own (one epoll set, edge-triggered, a
    /// thread in epoll_wait; the receive loop reads with non-blocking recv until drained, the writer sends with a
    /// non-blocking sendmsg in its pass), <c>dotnet</c> = .NET's own async sockets (a zero-byte ReceiveAsync per idle
    /// client, SendAsync on the runtime's SocketAsyncEngine). Default epoll on Linux, dotnet elsewhere (epoll is
    /// Linux only). Against dotnet, epoll holds an idle client in 0.63-0.73 KB less memory (2.00-2.11 against 2.73-2.75 KB at
    /// 19,000) and makes one syscall per message received instead of two; fan-out CPU per delivery did not change
    /// measurably (the README's "Where the idle bytes went" and "The socket engine under fan-out"). dotnet stays
    /// selectable because the stock engine's cost is a figure this project exists to show: someone deciding how to
    /// build a .NET server needs to see what the runtime's async sockets cost against readiness of one's own. TLS
    /// connections always run on .NET's engine (SslStream), and the threads model ignores this option.
    /// </summary>
    public SocketEngine SocketEngine { get; set; } = Transports.Pipelines.EpollReadiness.IsSupported ? SocketEngine.Epoll : SocketEngine.Dotnet;

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
    /// Once the server goes quiet after a burst of work (a connect storm, a busy hour), one compacting collection
    /// gives the burst's garbage and free heap back to the OS (Hosting/IdleMemoryTrim.cs). Default on: .NET collects
    /// only when something allocates, so an idle server otherwise keeps the burst's peak committed (at 19,000 idle
    /// clients 4.9 KB RSS per client instead of 3.2 KB). It never runs while the server is busy; off for a figure of
    /// the runtime's own behaviour.
    /// </summary>
    public bool IdleMemoryTrim { get; set; } = true;

    /// <summary>
    /// Per-client flood control (ergo's fakelag shape): <see cref="FloodBurstLines"/> lines at once, then one every
    /// 1/<see cref="FloodLinesPerSecond"/> s; a line that comes faster waits, and meanwhile the client's socket is not
    /// read (both models), so TCP pushes back on it alone; a throttled client with more than
    /// <see cref="FloodMaxUnreadBytes"/> unread (or <see cref="FloodMaxQueuedLines"/> held lines) gets
    /// <c>ERROR :Excess flood</c>.
    /// Default on: one client sending at line rate must not cost the others their SendQ. Load tests and the
    /// comparison measure the transports, not this policy, and pass <c>--flood-control off</c> explicitly.
    /// </summary>
    public bool FloodControl { get; set; } = true;

    /// <summary>Lines a client may send back to back before flood control spaces them out. Default 5 (ergo's burst-limit;
    /// irssi sends at most 5 at once on its own).</summary>
    [Range(1, 100_000)]
    public int FloodBurstLines { get; set; } = 5;

    /// <summary>The steady rate flood control lets through once the burst is spent. Default 2 lines/s (ergo's
    /// messages-per-window 2 per 1 s; irssi and weechat pace themselves below it).</summary>
    [Range(0.01, 1_000_000)]
    public double FloodLinesPerSecond { get; set; } = 2;

    /// <summary>Quiet time after which a throttled client gets its burst back. Default 2 s (ergo's cooldown).</summary>
    public TimeSpan FloodCooldown { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Lines held for a throttled client (received but not yet allowed); one more and the client is disconnected with
    /// <c>ERROR :Excess flood</c>. Default 20 (ircd-ratbox's client_flood), at most 20 × 512 bytes per client. Since a
    /// throttled client's input is not read, a transport holds at most a line or two; this bounds the held queue
    /// whatever delivers the lines.
    /// </summary>
    [Range(0, 10_000)]
    public int FloodMaxQueuedLines { get; set; } = 20;

    /// <summary>
    /// Bytes a throttled client may have waiting in the kernel's receive queue (sent, not yet read by the server: its
    /// input is paused) when a line of it is held; more, and it is closed with <c>ERROR :Excess flood</c>. Default 16 KiB: a pasted page (a few KB) waits and runs at the steady rate, while a
    /// flooder fills the kernel's receive buffer (~64–128 KiB on Linux) within moments of being throttled.
    /// </summary>
    [Range(512, 64 * 1024 * 1024)]
    public int FloodMaxUnreadBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// Nick changes a registered client may make at once (438 ERR_NICKTOOFAST past it); 0 = unlimited. Every change
    /// reaches every member of every channel the client is in, so an unthrottled NICK loop is a cheap amplifier.
    /// Default 5, one more every <see cref="NickChangeInterval"/> (ircd-hybrid's 5 changes per 20 s).
    /// </summary>
    [Range(0, 100_000)]
    public int NickChangeBurst { get; set; } = 5;

    /// <summary>Time that earns one more nick change once the burst is spent. Default 4 s.</summary>
    public TimeSpan NickChangeInterval { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Channel joins and parts a client may make at once (263 RPL_TRYAGAIN past it); 0 = unlimited. Each one is sent
    /// to every member, and one line can name many channels. Default 30 (an autojoin list of 30 channels passes),
    /// one more every <see cref="JoinPartInterval"/>.
    /// </summary>
    [Range(0, 100_000)]
    public int JoinPartBurst { get; set; } = 30;

    /// <summary>Time that earns one more join or part once the burst is spent. Default 1 s.</summary>
    public TimeSpan JoinPartInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Distinct targets one PRIVMSG or NOTICE may name (005 TARGMAX and MAXTARGETS); duplicates count once and get
    /// one copy. The rest get one 407. Default 4 (ergo's and ircd-hybrid's): without it one line of <c>v,v,v,…</c>
    /// made 245 copies.
    /// </summary>
    [Range(1, 1000)]
    public int MaxTargets { get; set; } = 4;

    /// <summary>
    /// Channels on the whole server; creating one more gets 437 ERR_UNAVAILRESOURCE (joining existing channels still
    /// works). Default 20,000: about one per client at this machine's connection ceiling; at the measured cost of a
    /// channel (~300 bytes with one member, ~1 KB with a 300-character topic: Chat/ChannelMemoryTests) that bounds
    /// channel state to about 6–20 MB, where CHANLIMIT alone allowed 100 channels per client (~3 GB at the ceiling).
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxChannels { get; set; } = 20_000;

    /// <summary>
    /// Refuse lines that are not valid UTF-8 (ergo's enforce-utf8, advertised as 005 UTF8ONLY): the sender gets
    /// <c>FAIL &lt;command&gt; INVALID_UTF8 :Message rejected for containing invalid UTF-8</c> and nothing is relayed. Default on, so every line
    /// the server sends is valid UTF-8; off relays such bytes as they came (the legacy behaviour).
    /// </summary>
    public bool EnforceUtf8 { get; set; } = true;

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
