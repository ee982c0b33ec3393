using System.Buffers;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// A minimal <c>WHO</c>: for <c>#channel</c> one 352 per member, for an exact nick one 352, then 315. Masks
/// with wildcards match nothing (this is enough for clients that WHO a channel after joining it). Streamed
/// (<see cref="StreamedReply"/>): WHO of a channel of 10,000 is about a megabyte.
/// </summary>
internal sealed class WhoCommand : ICommandHandler
{
    public string Name => "WHO";
    public CommandRules Rules => new();

    public void Handle(ClientSession client, in IrcMessage message)
    {
        string mask = message.ParameterCount > 0 && !message[0].IsEmpty ? message.GetString(0) : "*";
        ChatNetwork network = client.Network;
        if (mask[0] == '#')
        {
            Channel? channel = network.Channels.Find(mask);
            client.Reply(new WhoReply(client, mask, channel?.Name ?? mask, channel?.Members ?? []));
        }
        else
        {
            ClientSession? holder = network.Nicks.Find(mask);
            ClientSession[] found = holder is not null && holder.IsRegistered ? [holder] : [];
            client.Reply(new WhoReply(client, mask, "*", found));
        }
    }

    /// <summary>352 for each of a snapshot of sessions, then 315.</summary>
    private sealed class WhoReply(ClientSession client, string mask, string channel, ClientSession[] who) : StreamedReply
    {
        private readonly string _server = client.Network.ServerName;
        private readonly string _nick = client.Identity.NickOrStar;
        private int _next;

        public override bool WriteNext(ArrayBufferWriter<byte> output, int budgetBytes, ref int lines)
        {
            int start = output.WrittenCount;
            while (_next < who.Length)
            {
                if (lines > 0 && output.WrittenCount - start + IrcLimits.MaxLineBytes > budgetBytes)
                    return false;
                if (WriteEntry(output, who[_next++].Identity))
                    lines++;
            }
            IrcLineWriter.Write(output, _server, IrcNumerics.RplEndOfWho, _nick, mask, "End of /WHO list.");
            lines++;
            return true;
        }

        // 352: <me> <channel> <user> <host> <server> <nick> H :0 <real name>  ("H" = here, "0" = hop count)
        private bool WriteEntry(ArrayBufferWriter<byte> output, ClientIdentity entry)
        {
            if (entry.Nick is null)
                return false;
            IrcLineWriter.Write(output, _server, IrcNumerics.RplWhoReply, _nick, channel,
                entry.UserName ?? "~user", entry.Host, _server, entry.Nick, "H", "0 " + entry.RealName);
            return true;
        }
    }
}
