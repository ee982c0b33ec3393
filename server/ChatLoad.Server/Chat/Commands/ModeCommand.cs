using System.Globalization;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;
using ChatLoad.Server.Chat.Users;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>MODE #chan</c> (324, 329), <c>MODE #chan +b</c> (the list: 367/368, 348/349 for +e, 346/347 for +I),
/// <c>MODE #chan +o-v+k nick nick key</c> (channel operators only: 482; members see one MODE line with what
/// changed), and user modes: <c>MODE nick</c> (221) and <c>MODE nick +iw-o</c> (only one's own; +o only by OPER).
/// </summary>
internal sealed class ModeCommand : ICommandHandler
{
    public string Name => "MODE";
    public CommandRules Rules => new(MinimumParameters: 1);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        ReadOnlySpan<byte> target = message[0];
        if (target.IsEmpty)
        {
            client.SendNumeric(IrcNumerics.ErrNeedMoreParams, Name, "Not enough parameters");
            return;
        }
        if (target[0] == (byte)'#')
            HandleChannel(client, message);
        else
            HandleUser(client, message);
    }

    private static void HandleChannel(ClientSession client, in IrcMessage message)
    {
        Channel? channel = client.Network.Channels.Find(message[0]);
        if (channel is null)
        {
            client.SendNumeric(IrcNumerics.ErrNoSuchChannel, message.GetString(0), "No such channel");
            return;
        }
        Membership? membership = client.Channels.Find(channel);
        if (message.ParameterCount == 1)
        {
            var reply = new ReplyBuffer(client);
            reply.Numeric(IrcNumerics.RplChannelModeIs, [channel.Name, .. channel.DescribeModes(showKey: membership is not null)]);
            reply.Numeric(IrcNumerics.RplCreationTime, channel.Name, channel.CreatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            reply.Send();
            return;
        }

        var arguments = new List<string>(message.ParameterCount - 2);
        for (int i = 2; i < message.ParameterCount; i++)
            arguments.Add(message.GetString(i));
        List<ModeChange> changes = ChannelModeParser.Parse(message.GetString(1), arguments);

        var output = new ReplyBuffer(client);
        var requested = new List<ModeChange>(changes.Count);
        foreach (ModeChange change in changes)
        {
            if (change.Kind == ChannelModeKind.Unknown)
                output.Numeric(IrcNumerics.ErrUnknownMode, change.Letter.ToString(), "is unknown mode char to me");
            else if (change.IsListQuery)
                WriteList(output, channel, change.Letter);
            else
                requested.Add(change);
        }
        if (requested.Count > 0)
        {
            if (membership is null)
            {
                output.Numeric(IrcNumerics.ErrNotOnChannel, channel.Name, "You're not on that channel");
            }
            else if (!membership.IsOperator)
            {
                output.Numeric(IrcNumerics.ErrChanOPrivsNeeded, channel.Name, "You're not channel operator");
            }
            else
            {
                var result = new ModeApplication();
                channel.ApplyModes(client, requested, client.Network, result);
                foreach ((string numeric, string[] parameters) in result.Errors)
                    output.Numeric(numeric, parameters);
            }
        }
        output.Send();
    }

    private static void WriteList(ReplyBuffer output, Channel channel, char letter)
    {
        (string entry, string end, string text) = letter switch
        {
            'b' => (IrcNumerics.RplBanList, IrcNumerics.RplEndOfBanList, "End of channel ban list"),
            'e' => (IrcNumerics.RplExceptList, IrcNumerics.RplEndOfExceptList, "End of channel exception list"),
            _ => (IrcNumerics.RplInvExList, IrcNumerics.RplEndOfInvExList, "End of channel invite list"),
        };
        foreach (ChannelListEntry item in channel.ListFor(letter))
            output.Numeric(entry, channel.Name, item.Mask, item.SetBy, item.SetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        output.Numeric(end, channel.Name, text);
    }

    private static void HandleUser(ClientSession client, in IrcMessage message)
    {
        if (client.Network.Nicks.Find(message[0]) != client)
        {
            client.SendNumeric(IrcNumerics.ErrUsersDontMatch, message.ParameterCount == 1
                ? "Can't view modes for other users"
                : "Can't change mode for other users");
            return;
        }
        if (message.ParameterCount == 1)
        {
            client.SendNumeric(IrcNumerics.RplUModeIs, UserModeLetters.Format(client.Modes));
            return;
        }

        UserModes before = client.Modes, after = before;
        bool adding = true, unknown = false;
        foreach (char letter in message.GetString(1))
        {
            if (letter is '+' or '-')
            {
                adding = letter == '+';
                continue;
            }
            UserModes mode = UserModeLetters.FromLetter(letter);
            if (mode == UserModes.None)
                unknown = true;
            else if (mode == UserModes.Operator && adding)
                continue; // only OPER makes an operator
            else
                after = adding ? after | mode : after & ~mode;
        }
        if (unknown)
            client.SendNumeric(IrcNumerics.ErrUModeUnknownFlag, "Unknown MODE flag");
        SetUserModes(client, before, after);
    }

    /// <summary>Applies user modes and tells the client what changed (<c>:nick MODE nick :+i</c>); OPER uses it too.</summary>
    public static void SetUserModes(ClientSession client, UserModes before, UserModes after)
    {
        string change = UserModeLetters.FormatChange(before, after);
        if (change.Length == 0)
            return;
        client.SetModes(after);
        string nick = client.Identity.NickOrStar;
        var notice = new RelayedMessage(client.Network, RelayedLine.FormatParameters(client.Identity, "MODE", nick, change));
        client.Echo(ref notice);
    }
}
