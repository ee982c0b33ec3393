using System.Buffers;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Sessions;
using ChatLoad.Server.Hosting;

namespace ChatLoad.Server.Chat;

/// <summary>
/// What a client gets the moment it registers: 001–004, 005 ISUPPORT and the MOTD (375/372/376) or 422.
/// The server-wide parts are built once here; each client's burst goes out in a single Send.
/// </summary>
internal sealed class ServerGreeting
{
    private readonly string _serverName;
    private readonly string _networkName;
    private readonly string _created;
    private readonly string[] _isupport;
    private readonly string[]? _motd;

    public ServerGreeting(ServerOptions options, DateTimeOffset startedAt)
    {
        _serverName = options.ServerName;
        // 005 tokens are space-separated, so a network name cannot contain a space.
        _networkName = string.IsNullOrWhiteSpace(options.NetworkName) ? "ChatLoad" : options.NetworkName.Trim().Replace(' ', '-');
        _created = startedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'");
        _isupport =
        [
            $"CASEMAPPING={IrcCaseMapping.Name}",
            "CHANTYPES=#",
            $"NICKLEN={options.NickLength}",
            $"CHANNELLEN={options.ChannelLength}",
            $"CHANLIMIT=#:{options.MaxChannelsPerClient}",
            $"MAXTARGETS={options.MaxTargets}",
            $"TARGMAX=NOTICE:{options.MaxTargets},PRIVMSG:{options.MaxTargets}",
            .. (options.EnforceUtf8 ? (string[])["UTF8ONLY"] : []),
            $"NETWORK={_networkName}",
        ];
        _motd = string.IsNullOrWhiteSpace(options.Motd)
            ? null
            : options.Motd.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
    }

    public void SendTo(ClientSession client)
    {
        ClientIdentity identity = client.Identity;
        string nick = identity.NickOrStar;
        var output = new ArrayBufferWriter<byte>(2048);
        int lines = 0;

        Numeric(output, IrcNumerics.RplWelcome, nick, $"Welcome to the {_networkName} IRC Network {identity.PrefixText}", ref lines);
        Numeric(output, IrcNumerics.RplYourHost, nick, $"Your host is {_serverName}, running version {ChatNetwork.ServerVersion}", ref lines);
        Numeric(output, IrcNumerics.RplCreated, nick, $"This server was created {_created}", ref lines);
        // 004 lists user and channel modes; this server has none, so it stops after the version.
        IrcLineWriter.Write(output, _serverName, IrcNumerics.RplMyInfo, nick, _serverName, ChatNetwork.ServerVersion);
        lines++;
        lines += IsupportLines(output, nick);

        if (_motd is null)
        {
            Numeric(output, IrcNumerics.ErrNoMotd, nick, "MOTD File is missing", ref lines);
        }
        else
        {
            Numeric(output, IrcNumerics.RplMotdStart, nick, $"- {_serverName} Message of the day - ", ref lines);
            foreach (string text in _motd)
                Numeric(output, IrcNumerics.RplMotd, nick, "- " + text, ref lines);
            Numeric(output, IrcNumerics.RplEndOfMotd, nick, "End of /MOTD command.", ref lines);
        }

        client.Send(output.WrittenMemory, lines);
    }

    private void Numeric(ArrayBufferWriter<byte> output, string numeric, string nick, string text, ref int lines)
    {
        var line = new IrcLineBuilder(output.GetSpan(IrcLimits.MaxLineBytes));
        line.AppendSource(_serverName);
        line.AppendCommand(numeric);
        line.AppendParameter(nick);
        line.AppendTrailing(text);
        output.Advance(line.Complete());
        lines++;
    }

    // At most 13 tokens per 005 line (15 parameters: the nick, the tokens, the trailing text), as many lines as needed.
    private const int TokensPerIsupportLine = 13;

    private int IsupportLines(ArrayBufferWriter<byte> output, string nick)
    {
        int lines = 0;
        for (int first = 0; first < _isupport.Length; first += TokensPerIsupportLine)
        {
            var line = new IrcLineBuilder(output.GetSpan(IrcLimits.MaxLineBytes));
            line.AppendSource(_serverName);
            line.AppendCommand(IrcNumerics.RplISupport);
            line.AppendParameter(nick);
            foreach (string token in _isupport.AsSpan(first, Math.Min(TokensPerIsupportLine, _isupport.Length - first)))
                line.AppendParameter(token);
            line.AppendTrailing("are supported by this server");
            output.Advance(line.Complete());
            lines++;
        }
        return lines;
    }
}
