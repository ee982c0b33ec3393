using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>PRIVMSG</c> and <c>NOTICE</c> to channels and nicks (comma lists allowed). The hot path of the server: the
/// relayed line is serialized once from the sender's cached prefix and the received bytes, and the same array is
/// queued to every recipient. NOTICE never gets an error reply (RFC 2812 §3.3.2). A target list counts each
/// distinct target once (rfc1459 casemapping) and stops at MaxTargets (005 TARGMAX), so one line cannot fan out into
/// hundreds of copies.
/// </summary>
internal sealed class MessageCommand : ICommandHandler
{
    private readonly bool _isNotice;

    public MessageCommand(string name)
    {
        Name = name;
        _isNotice = name == "NOTICE";
    }

    public string Name { get; }
    public CommandRules Rules => new(AllowedBeforeRegistration: false, Silent: _isNotice);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        if (message.ParameterCount == 0 || message[0].IsEmpty)
        {
            Error(client, IrcNumerics.ErrNoRecipient, $"No recipient given ({Name})");
            return;
        }
        if (message.ParameterCount < 2 || message[1].IsEmpty)
        {
            Error(client, IrcNumerics.ErrNoTextToSend, "No text to send");
            return;
        }

        ReadOnlySpan<byte> text = message[1];
        ReadOnlySpan<byte> list = message[0];
        int maxTargets = client.Network.Limits.MaxTargets;
        Span<Range> delivered = maxTargets <= 64 ? stackalloc Range[maxTargets] : new Range[maxTargets];
        int count = 0;
        var targets = new CommaList(list);
        while (targets.MoveNext())
        {
            ReadOnlySpan<byte> target = targets.Current;
            if (AlreadyNamed(list, delivered[..count], target))
                continue; // "v,v,v": one copy, not one per mention
            if (count == maxTargets)
            {
                // TARGMAX: the first MaxTargets distinct targets got the message; one error covers the rest.
                client.Network.Metrics.LimitRefused();
                Error(client, IrcNumerics.ErrTooManyTargets, Encoding.UTF8.GetString(target), $"Too many recipients. Only {maxTargets} processed");
                return;
            }
            delivered[count++] = targets.CurrentRange;
            if (target[0] == (byte)'#')
                SendToChannel(client, target, text);
            else
                SendToNick(client, target, text);
        }
    }

    private static bool AlreadyNamed(ReadOnlySpan<byte> list, ReadOnlySpan<Range> earlier, ReadOnlySpan<byte> target)
    {
        foreach (Range range in earlier)
        {
            if (IrcCaseMapping.EqualsUtf8(list[range], target))
                return true;
        }
        return false;
    }

    private void SendToChannel(ClientSession client, ReadOnlySpan<byte> target, ReadOnlySpan<byte> text)
    {
        Channel? channel = client.Network.Channels.Find(target);
        if (channel is null)
        {
            Error(client, IrcNumerics.ErrNoSuchChannel, Encoding.UTF8.GetString(target), "No such channel");
            return;
        }
        if (!client.Channels.Contains(channel))
        {
            Error(client, IrcNumerics.ErrCannotSendToChan, channel.Name, "Cannot send to channel");
            return;
        }
        byte[] line = RelayedLine.Format(client.Identity, Name, channel.Name, text);
        int recipients = channel.Broadcast(line, except: client);
        client.Network.Metrics.LinesQueued(recipients);
    }

    private void SendToNick(ClientSession client, ReadOnlySpan<byte> target, ReadOnlySpan<byte> text)
    {
        ClientSession? recipient = client.Network.Nicks.Find(target);
        string? nick = recipient?.Identity.Nick;
        if (recipient is null || nick is null || !recipient.IsRegistered)
        {
            Error(client, IrcNumerics.ErrNoSuchNick, Encoding.UTF8.GetString(target), "No such nick/channel");
            return;
        }
        byte[] line = RelayedLine.Format(client.Identity, Name, nick, text);
        recipient.Connection.Send(line);
        client.Network.Metrics.LinesQueued(1);
    }

    private void Error(ClientSession client, string numeric, params ReadOnlySpan<string> parameters)
    {
        if (!_isNotice)
            client.SendNumeric(numeric, parameters);
    }
}
