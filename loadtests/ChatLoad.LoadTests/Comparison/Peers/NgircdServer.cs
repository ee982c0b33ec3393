namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// ngIRCd from Debian's package, run as <c>ngircd -n -f CONF</c> (no daemon) with a config of its own; the
/// package's service and /etc/ngircd are never used.
/// </summary>
internal sealed class NgircdServer : ReferenceServer
{
    public override string Name => "ngircd";
    public override string Title => "ngIRCd (Debian package)";
    public override string Model => "one thread, one epoll event loop, written in C";

    public override bool NoDelay => false;

    public override string SocketOptions =>
        "TCP_NODELAY not set, IP_TOS low-delay set (Nagle on: with the receiver's 40 ms delayed ACK its small writes can wait tens of " +
        "milliseconds, which is where its 25–47 ms tails come from); listen backlog hard-coded to 10, so fast " +
        "connect bursts overflow the accept queue and clients wait on SYN retransmits; write buffer capped at 32 KiB per client";

    public override string Limits =>
        "lifted: MaxConnections, MaxConnectionsIP, MaxJoins = 0 (unlimited), MaxPenaltyTime = 0 (no command penalties), " +
        "MaxNickLength 30, PingTimeout/PongTimeout 300 s, DNS/Ident/PAM off, RequireAuthPing off; as shipped: its " +
        "per-loop command budget per client and its backlog of 10. Running as root it drops to user nobody by design.";

    public override string Strengths =>
        "one C event loop that handles a read and writes what it causes in the same turn, with no runtime, garbage " +
        "collector or thread hand-off in between, and a few KB of structs per connection";

    public override string Program => "ngircd";

    internal override ReferenceLaunch Prepare(int port, string configDirectory)
    {
        string config = Path.Combine(configDirectory, "ngircd.conf");
        string includes = Path.Combine(configDirectory, "conf.d");  // created with the folder above it
        Directory.CreateDirectory(includes);
        File.WriteAllText(config, Render(port, configDirectory, includes));
        return new ReferenceLaunch(["-n", "-f", config]);
    }

    /// <summary>The config: every flood, penalty and per-address limit lifted (see <see cref="Limits"/>).</summary>
    public static string Render(int port, string configDirectory, string includeDirectory) => $"""
        # Rendered by ChatLoad's comparison for one run; see loadtests/ChatLoad.LoadTests/Comparison/Peers/NgircdServer.cs.
        [Global]
            Name = ngircd.local
            Info = ChatLoad reference server
            AdminInfo1 = ChatLoad comparison
            AdminEMail = chatload@localhost
            Listen = 127.0.0.1
            Ports = {port}
            # Absent on purpose: clients get 422, as from ChatLoad's server without --motd.
            MotdFile = {Path.Combine(configDirectory, "no-motd")}
            # ngIRCd drops to user nobody before writing it, so it logs that it cannot; the comparison holds the PID.
            PidFile = {Path.Combine(configDirectory, "ngircd.pid")}

        [Limits]
            MaxConnections = 0
            MaxConnectionsIP = 0
            MaxJoins = 0
            MaxNickLength = 30
            MaxPenaltyTime = 0
            PingTimeout = 300
            PongTimeout = 300

        [Options]
            DNS = no
            Ident = no
            PAM = no
            RequireAuthPing = no
            # An empty folder of our own instead of /etc/ngircd/ngircd.conf.d.
            IncludeDir = {includeDirectory}

        """;
}
