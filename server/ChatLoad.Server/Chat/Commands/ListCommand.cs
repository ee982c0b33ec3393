using System.Globalization;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>LIST [filters]</c>: 321, one 322 (<c>channel users :topic</c>) per channel the asker may see, 323. Filters,
/// comma-separated (ELIST=MNU): channel names or masks (<c>#a,#c*</c>: any of them), negated masks
/// (<c>!*an1</c>: none of them), <c>&gt;n</c> / <c>&lt;n</c> on the user count (all of them). Secret channels are
/// listed to members only.
/// </summary>
/// <remarks>REVIEW: like WHO *, a bare LIST over thousands of channels is one Send larger than SendQueueBytes.</remarks>
internal sealed class ListCommand : ICommandHandler
{
    public string Name => "LIST";
    public CommandRules Rules => new();

    public void Handle(ClientSession client, in IrcMessage message)
    {
        List<Func<Channel, bool>> filters = message.ParameterCount > 0 && !message[0].IsEmpty
            ? ParseFilters(message.GetString(0))
            : [];
        var output = new ReplyBuffer(client);
        output.Numeric(IrcNumerics.RplListStart, "Channel", "Users  Name");
        foreach (Channel channel in client.Network.Channels.Snapshot())
        {
            if (channel.IsSecret && !client.Channels.Contains(channel))
                continue;
            if (!filters.TrueForAll(filter => filter(channel)))
                continue;
            output.Numeric(IrcNumerics.RplList, channel.Name, channel.MemberCount.ToString(CultureInfo.InvariantCulture), channel.Topic?.Text ?? "");
        }
        output.Numeric(IrcNumerics.RplListEnd, "End of /LIST");
        output.Send();
    }

    /// <summary>The filters of one LIST parameter; an unparsable one matches nothing, so a typo lists nothing rather than everything.</summary>
    public static List<Func<Channel, bool>> ParseFilters(string text)
    {
        var filters = new List<Func<Channel, bool>>();
        var names = new List<string>();
        foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (item[0] is '>' or '<')
            {
                if (!int.TryParse(item.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int count))
                {
                    filters.Add(_ => false);
                    continue;
                }
                filters.Add(item[0] == '>' ? c => c.MemberCount > count : c => c.MemberCount < count);
            }
            else if (item[0] == '!')
            {
                string mask = item[1..];
                filters.Add(c => !IrcMask.IsMatch(mask, c.Name));
            }
            else
            {
                names.Add(item);
            }
        }
        if (names.Count > 0)
            filters.Add(c => names.Exists(mask => IrcMask.IsMatch(mask, c.Name)));
        return filters;
    }
}
