namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// InspIRCd from Debian's package, run as <c>inspircd --nofork --runasroot --config=CONF</c> with a config of its
/// own; the package's service and /etc/inspircd are never used.
/// </summary>
internal sealed class InspircdServer : ReferenceServer
{
    /// <summary>Send queue per client before InspIRCd drops it. 256 KiB, the value Debian ships: a send queue is not
    /// a flood limit but the slow-consumer scenario's subject, so it stays as shipped. It is 4× ChatLoad's 64 KiB
    /// because InspIRCd queues a whole event-loop turn's output before it writes, so a busy turn can queue tens of KB
    /// for a healthy client. (With the 1 MiB of InspIRCd's example config none of 20 slow readers was dropped within
    /// the quick preset's 8 s slow-consumer rung here.)</summary>
    public const int HardSendQueueBytes = 256 * 1024;

    public override string Name => "inspircd";
    public override string Title => "InspIRCd (Debian package)";
    public override string Model => "one thread, one epoll event loop, written in C++";

    public override bool NoDelay => false;

    public override string SocketOptions =>
        "TCP_NODELAY not set (Nagle on: with the receiver's 40 ms delayed ACK its small writes can wait tens of " +
        "milliseconds, which is where its 25–47 ms tails come from); listen backlog 4096 (somaxconn setting)";

    public override string Limits =>
        "lifted: threshold and commandrate far above any scenario, fakelag off (its flood control), " +
        "localmax/globalmax/limit 1,000,000 (per-address and total), maxchans 1,000, recvq 1 MiB, softsendq up to " +
        "hardsendq (it delays a client's own commands while its queue drains), resolvehostnames and useident off, " +
        "somaxconn 4096, softlimit 100,000 (the descriptor limit decides). As shipped: " +
        $"hardsendq {HardSendQueueBytes / 1024} KiB (Debian's value; a slow reader past it is dropped); registration " +
        "completes on its 1 Hz background tick, so 001 comes 0–1 s after USER (a ~0.5 s median connect latency by design).";

    public override string Strengths =>
        "one C++ event loop with no runtime, garbage collector or thread hand-off between a read and the writes it " +
        "causes, each loop turn's output to a client in one write, and a few KB of state per connection";

    public override string Program => "inspircd";

    internal override ReferenceLaunch Prepare(int port, string configDirectory)
    {
        Directory.CreateDirectory(configDirectory);
        string config = Path.Combine(configDirectory, "inspircd.conf");
        File.WriteAllText(config, Render(port, configDirectory));
        return new ReferenceLaunch(["--nofork", "--runasroot", $"--config={config}"]);
    }

    /// <summary>The config: every flood and per-address limit lifted (see <see cref="Limits"/>); no modules beyond
    /// the core, as the scenarios need none.</summary>
    public static string Render(int port, string configDirectory) => $"""
        # Rendered by ChatLoad's comparison for one run; see loadtests/ChatLoad.LoadTests/Comparison/Peers/InspircdServer.cs.
        <server name="inspircd.local" description="ChatLoad reference server" network="ChatLoad">
        <admin name="ChatLoad comparison" nick="chatload" email="chatload@localhost">
        <bind address="127.0.0.1" port="{port}" type="clients">
        <connect name="load" allow="*" timeout="60" pingfreq="300"
                 threshold="100000000" commandrate="100000000" fakelag="no"
                 localmax="1000000" globalmax="1000000" limit="1000000" maxchans="1000"
                 hardsendq="{HardSendQueueBytes}" softsendq="{HardSendQueueBytes}" recvq="1048576"
                 resolvehostnames="no" useident="no">
        <channels users="1000" opers="1000">
        <performance softlimit="100000" somaxconn="4096" quietbursts="yes">
        <pid file="{Path.Combine(configDirectory, "inspircd.pid")}">
        <options>

        """;
}
