using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Capabilities;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>PRIVMSG</c>, <c>NOTICE</c> and <c>TAGMSG</c> to channels and nicks (comma lists allowed). The hot path of the
/// server: the relayed line is serialized once from the sender's cached prefix and the received bytes, and the
/// same array is queued to every recipient (tagged forms only for recipients that negotiated them). NOTICE never
/// gets an error reply (RFC 2812 §3.3.2). With echo-message the sender gets its own copy. A target list counts each
/// distinct target once (rfc1459 casemapping) and stops at MaxTargets (005 TARGMAX), so one line cannot fan out into
/// hundreds of copies.
/// </summary>
internal sealed class MessageCommand : ICommandHandler
{
    private readonly bool _isNotice;
    private readonly bool _isTagMessage;

    public MessageCommand(string name)
    {
        Name = name;
        _isNotice = name == "NOTICE";
        _isTagMessage = name == "TAGMSG";
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
        if (!_isTagMessage && (message.ParameterCount < 2 || message[1].IsEmpty))
        {
            Error(client, IrcNumerics.ErrNoTextToSend, "No text to send");
            return;
        }

        ReadOnlySpan<byte> text = _isTagMessage ? default : message[1];
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
                SendToChannel(client, target, target, text, message.Tags);
            else if (target.Length > 1 && target[0] is (byte)'@' or (byte)'+' && target[1] == (byte)'#')
                SendToChannel(client, target, target[1..], text, message.Tags);
            else
                SendToNick(client, target, text, message.Tags);
        }
        if (!_isTagMessage)
            client.RecordSpoke();
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

    /// <param name="client">The sender.</param>
    /// <param name="target">The target as written (<c>@#chan</c> for STATUSMSG), repeated in the relayed line.</param>
    /// <param name="channelName">The channel part of it.</param>
    /// <param name="text">The message text (empty for TAGMSG).</param>
    /// <param name="tags">The sender's tag section, whose client-only tags are relayed.</param>
    private void SendToChannel(ClientSession client, ReadOnlySpan<byte> target, ReadOnlySpan<byte> channelName, ReadOnlySpan<byte> text, ReadOnlySpan<byte> tags)
    {
        Channel? channel = client.Network.Channels.Find(channelName);
        if (channel is null)
        {
            Error(client, IrcNumerics.ErrNoSuchChannel, Encoding.UTF8.GetString(channelName), "No such channel");
            return;
        }
        if (!MaySend(client, channel, client.Channels.Find(channel)))
        {
            Error(client, IrcNumerics.ErrCannotSendToChan, channel.Name, "Cannot send to channel");
            return;
        }
        bool toStatus = target.Length != channelName.Length;
        string written = toStatus ? (char)target[0] + channel.Name : channel.Name;
        var relay = new RelayedMessage(client.Network, Format(client, written, text), tags, client.IsBot, _isTagMessage);
        int recipients = toStatus
            ? channel.Broadcast(ref relay, except: client, target[0] == (byte)'@' ? MemberStatus.Operator : MemberStatus.Voice)
            : channel.Broadcast(ref relay, except: client);
        client.Network.Metrics.LinesQueued(recipients);
        Echo(client, ref relay);
    }

    /// <summary>
    /// +n keeps non-members out, +m everyone without voice, a ban (without exception) silences a member without
    /// voice. For members every check is a flags test on data already in hand (the ban match is cached in the
    /// membership), so the send path stays O(1) in the channel's size and its ban list.
    /// </summary>
    public static bool MaySend(ClientSession client, Channel channel, Membership? membership)
    {
        ChannelModes modes = channel.Modes;
        if (membership is null)
            return (modes & (ChannelModes.NoExternal | ChannelModes.Moderated)) == 0 && !channel.MatchesBan(client.Identity.PrefixText);
        if (membership.HasVoiceOrAbove)
            return true;
        return (modes & ChannelModes.Moderated) == 0 && !membership.IsBanned;
    }

    private void SendToNick(ClientSession client, ReadOnlySpan<byte> target, ReadOnlySpan<byte> text, ReadOnlySpan<byte> tags)
    {
        ClientSession? recipient = client.Network.Nicks.FindUser(target);
        string? nick = recipient?.Identity.Nick;
        if (recipient is null || nick is null)
        {
            Error(client, IrcNumerics.ErrNoSuchNick, Encoding.UTF8.GetString(target), "No such nick/channel");
            return;
        }
        var relay = new RelayedMessage(client.Network, Format(client, nick, text), tags, client.IsBot, _isTagMessage);
        recipient.Deliver(ref relay);
        client.Network.Metrics.LinesQueued(1);
        if (!_isNotice && !_isTagMessage && recipient.AwayMessage is { } away)
            client.SendNumeric(IrcNumerics.RplAway, nick, away);
        Echo(client, ref relay);
    }

    private byte[] Format(ClientSession client, string target, ReadOnlySpan<byte> text) => _isTagMessage
        ? RelayedLine.Format(client.Identity, Name, target)
        : RelayedLine.Format(client.Identity, Name, target, text);

    // echo-message: the sender sees its message as the recipients do (with their tags, if it negotiated them).
    private static void Echo(ClientSession client, ref RelayedMessage relay)
    {
        if (client.Has(ClientCapabilities.EchoMessage))
            client.Echo(ref relay);
    }

    private void Error(ClientSession client, string numeric, params ReadOnlySpan<string> parameters)
    {
        if (!_isNotice)
            client.SendNumeric(numeric, parameters);
    }
}
