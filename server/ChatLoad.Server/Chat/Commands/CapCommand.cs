using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// IRCv3 capability negotiation, answered honestly: this server offers no capabilities. <c>CAP LS [302]</c> gets
/// an empty list, <c>CAP REQ</c> is refused with NAK, and registration waits for <c>CAP END</c> as the
/// specification requires, so clients that negotiate first (irssi, weechat) register normally.
/// </summary>
internal sealed class CapCommand : ICommandHandler
{
    public string Name => "CAP";
    public CommandRules Rules => new(MinimumParameters: 1, AllowedBeforeRegistration: true);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        ReadOnlySpan<byte> subcommand = message[0];
        if (Ascii.EqualsIgnoreCase(subcommand, "LS"u8))
        {
            HoldRegistration(client);
            Reply(client, "LS", ""u8);
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "LIST"u8))
        {
            Reply(client, "LIST", ""u8);
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "REQ"u8))
        {
            HoldRegistration(client);
            Reply(client, "NAK", message.ParameterCount > 1 ? message[1] : ""u8);
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "END"u8))
        {
            client.Registration.CapNegotiating = false;
            client.Registration.TryComplete(client);
        }
        else
        {
            client.SendNumeric(IrcNumerics.ErrInvalidCapCmd, message.GetString(0), "Invalid CAP command");
        }
    }

    private static void HoldRegistration(ClientSession client)
    {
        if (!client.IsRegistered)
            client.Registration.CapNegotiating = true;
    }

    private static void Reply(ClientSession client, string subcommand, ReadOnlySpan<byte> capabilities)
    {
        Span<byte> buffer = stackalloc byte[IrcLimits.MaxLineBytes];
        var line = new IrcLineBuilder(buffer);
        line.AppendSource(client.Network.ServerName);
        line.AppendCommand("CAP");
        line.AppendParameter(client.Identity.NickOrStar);
        line.AppendParameter(subcommand);
        line.AppendTrailing(capabilities);
        client.Send(line.ToArray());
    }
}
