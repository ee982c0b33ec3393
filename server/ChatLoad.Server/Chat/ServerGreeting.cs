using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;
using ChatLoad.Server.Chat.Users;
using ChatLoad.Server.Hosting;

namespace ChatLoad.Server.Chat;

/// <summary>
/// What a client gets the moment it registers: 001–004, 005 ISUPPORT, the LUSERS figures (251–255, 265, 266) and
/// the MOTD (375/372/376) or 422. The server-wide parts are built once here; each client's burst goes out in a
/// single Send. LUSERS and MOTD reuse <see cref="WriteLusers"/> and <see cref="WriteMotd"/>.
/// </summary>
internal sealed class ServerGreeting
{
    private readonly string _serverName;
    private readonly string _networkName;
    private readonly string[]? _motd;
    // 002's and 003's text is the same for every client: made once, not per registration.
    private readonly string _yourHost;
    private readonly string _createdText;

    public ServerGreeting(ServerOptions options, DateTimeOffset startedAt)
    {
        _serverName = options.ServerName;
        // 005 tokens are space-separated, so a network name cannot contain a space.
        _networkName = string.IsNullOrWhiteSpace(options.NetworkName) ? "ChatLoad" : options.NetworkName.Trim().Replace(' ', '-');
        _yourHost = $"Your host is {_serverName}, running version {ChatNetwork.ServerVersion}";
        _createdText = $"This server was created {startedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss 'UTC'}";
        Isupport = IsupportTokens.For(options, _networkName);
        _motd = string.IsNullOrWhiteSpace(options.Motd)
            ? null
            : options.Motd.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
    }

    /// <summary>The 005 tokens (VERSION repeats them).</summary>
    public IsupportTokens Isupport { get; }

    public void SendTo(ClientSession client)
    {
        ClientIdentity identity = client.Identity;
        var output = new ReplyBuffer(client, 2048);
        output.Numeric(IrcNumerics.RplWelcome, $"Welcome to the {_networkName} IRC Network {identity.PrefixText}");
        output.Numeric(IrcNumerics.RplYourHost, _yourHost);
        output.Numeric(IrcNumerics.RplCreated, _createdText);
        output.Numeric(IrcNumerics.RplMyInfo, _serverName, ChatNetwork.ServerVersion, UserModeLetters.All,
            ChannelModeLetters.All, ChannelModeLetters.WithParameter);
        Isupport.WriteTo(output);
        WriteLusers(output, client.Network);
        WriteMotd(output);
        output.Send();
    }

    /// <summary>
    /// 251–255, 265, 266 (RFC 2812 §3.4.2, modern.ircdocs.horse). "Unknown" connections are the ones that have not
    /// registered yet; there is one server and no links.
    /// </summary>
    public static void WriteLusers(ReplyBuffer output, ChatNetwork network)
    {
        UserCounts counts = network.Counts;
        int registered = counts.Registered;
        int invisible = Math.Min(counts.Invisible, registered);
        int max = Math.Max(counts.MaxRegistered, registered);
        int unknown = counts.Unregistered;
        output.Numeric(IrcNumerics.RplLuserClient, $"There are {registered - invisible} users and {invisible} invisible on 1 servers");
        output.Numeric(IrcNumerics.RplLuserOp, Number(counts.Operators), "operator(s) online");
        output.Numeric(IrcNumerics.RplLuserUnknown, Number(unknown), "unknown connection(s)");
        output.Numeric(IrcNumerics.RplLuserChannels, Number(network.Channels.Count), "channels formed");
        output.Numeric(IrcNumerics.RplLuserMe, $"I have {registered} clients and 0 servers");
        output.Numeric(IrcNumerics.RplLocalUsers, Number(registered), Number(max), $"Current local users {registered}, max {max}");
        output.Numeric(IrcNumerics.RplGlobalUsers, Number(registered), Number(max), $"Current global users {registered}, max {max}");
    }

    /// <summary>375, 372 per line, 376; or 422 when no MOTD is configured.</summary>
    public void WriteMotd(ReplyBuffer output)
    {
        if (_motd is null)
        {
            output.Numeric(IrcNumerics.ErrNoMotd, "MOTD File is missing");
            return;
        }
        output.Numeric(IrcNumerics.RplMotdStart, $"- {_serverName} Message of the day - ");
        foreach (string text in _motd)
            output.Numeric(IrcNumerics.RplMotd, "- " + text);
        output.Numeric(IrcNumerics.RplEndOfMotd, "End of /MOTD command.");
    }

    private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
