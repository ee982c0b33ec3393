using System.Globalization;
using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Capabilities;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// IRCv3 capability negotiation (ircv3.net capability-negotiation): <c>CAP LS [302]</c> lists what the server
/// offers (<see cref="CapabilityCatalog"/>; with 302 in several lines if needed, and cap-notify enabled
/// implicitly), <c>CAP REQ :a -b</c> enables and disables as a whole or not at all (ACK or NAK with the request
/// as sent), <c>CAP LIST</c> shows what is enabled, and registration waits for <c>CAP END</c> once negotiation
/// started, so clients that negotiate first (irssi, weechat) register normally.
/// </summary>
internal sealed class CapCommand : ICommandHandler
{
    /// <summary>Room for capability names on one CAP line: 512 minus the longest source, nick and framing.</summary>
    private const int MaxListBytes = 400;

    public string Name => "CAP";
    public CommandRules Rules => new(MinimumParameters: 1, AllowedBeforeRegistration: true);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        ReadOnlySpan<byte> subcommand = message[0];
        if (Ascii.EqualsIgnoreCase(subcommand, "LS"u8))
        {
            HoldRegistration(client);
            if (message.ParameterCount > 1 && int.TryParse(message.GetString(1), NumberStyles.None, CultureInfo.InvariantCulture, out int version))
            {
                client.Registration.CapVersion = Math.Max(client.Registration.CapVersion, version);
                if (version >= 302)
                    client.SetCapabilities(client.Capabilities | ClientCapabilities.CapNotify); // implied by 302
            }
            SendList(client, "LS", CapabilityCatalog.Offered.Select(c => Advertised(c, client.Registration.CapVersion)));
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "LIST"u8))
        {
            SendList(client, "LIST", CapabilityCatalog.Names(client.Capabilities).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "REQ"u8))
        {
            HoldRegistration(client);
            string requested = message.ParameterCount > 1 ? message.GetString(1) : "";
            ClientCapabilities? result = Apply(client.Capabilities, requested);
            if (result is { } enabled)
            {
                client.SetCapabilities(enabled);
                Reply(client, "ACK", requested);
            }
            else
            {
                Reply(client, "NAK", requested);
            }
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

    /// <summary>
    /// The enabled set after a REQ (<c>a b -c</c>), or null when any name is not offered: a request is accepted as
    /// a whole or rejected as a whole.
    /// </summary>
    public static ClientCapabilities? Apply(ClientCapabilities enabled, string request)
    {
        string[] names = request.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
            return null;
        ClientCapabilities result = enabled;
        foreach (string name in names)
        {
            bool remove = name[0] == '-';
            OfferedCapability? capability = CapabilityCatalog.Find(remove ? name[1..] : name);
            if (capability is null)
                return null;
            result = remove ? result & ~capability.Flag : result | capability.Flag;
        }
        return result;
    }

    private static string Advertised(OfferedCapability capability, int version) =>
        version >= 302 && capability.Value is not null ? $"{capability.Name}={capability.Value}" : capability.Name;

    private static void HoldRegistration(ClientSession client)
    {
        if (!client.IsRegistered)
            client.Registration.CapNegotiating = true;
    }

    // CAP LS 302 may span lines: "CAP * LS * :a b" then "CAP * LS :c". Before 302 there is one line only.
    private static void SendList(ClientSession client, string subcommand, IEnumerable<string> names)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        foreach (string name in names)
        {
            if (current.Length > 0 && current.Length + 1 + name.Length > MaxListBytes)
            {
                lines.Add(current.ToString());
                current.Clear();
            }
            if (current.Length > 0)
                current.Append(' ');
            current.Append(name);
        }
        lines.Add(current.ToString());
        bool multiline = client.Registration.CapVersion >= 302;
        if (!multiline && lines.Count > 1)
            lines = [string.Join(' ', lines)]; // the line builder cuts it at 512 bytes; our list is far shorter
        for (int i = 0; i < lines.Count; i++)
        {
            if (i < lines.Count - 1)
                Reply(client, subcommand, lines[i], continued: true);
            else
                Reply(client, subcommand, lines[i]);
        }
    }

    private static void Reply(ClientSession client, string subcommand, string capabilities, bool continued = false)
    {
        Span<byte> buffer = stackalloc byte[IrcLimits.MaxLineBytes];
        var line = new IrcLineBuilder(buffer);
        line.AppendSource(client.Network.ServerName);
        line.AppendCommand("CAP");
        line.AppendParameter(client.Identity.NickOrStar);
        line.AppendParameter(subcommand);
        if (continued)
            line.AppendParameter("*");
        line.AppendTrailing(capabilities);
        client.Send(line.ToArray());
    }
}
