using System.Buffers;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// A minimal <c>WHO</c>: for <c>#channel</c> one 352 per member, for an exact nick one 352, then 315. Masks
/// with wildcards match nothing (this is enough for clients that WHO a channel after joining it).
/// </summary>
internal sealed class WhoCommand : ICommandHandler
{
    public string Name => "WHO";
    public CommandRules Rules => new();

    public void Handle(ClientSession client, in IrcMessage message)
    {
        string mask = message.ParameterCount > 0 && !message[0].IsEmpty ? message.GetString(0) : "*";
        ChatNetwork network = client.Network;
        var output = new ArrayBufferWriter<byte>(1024);
        int lines = 0;

        if (mask[0] == '#')
        {
            Channel? channel = network.Channels.Find(mask);
            if (channel is not null)
            {
                foreach (ClientSession member in channel.Members)
                    lines += WriteEntry(output, client, channel.Name, member.Identity);
            }
        }
        else
        {
            ClientSession? holder = network.Nicks.Find(mask);
            if (holder is not null && holder.IsRegistered)
                lines += WriteEntry(output, client, "*", holder.Identity);
        }

        IrcLineWriter.Write(output, network.ServerName, IrcNumerics.RplEndOfWho, client.Identity.NickOrStar, mask, "End of /WHO list.");
        client.Send(output.WrittenMemory, lines + 1);
    }

    // 352: <me> <channel> <user> <host> <server> <nick> H :0 <real name>  ("H" = here, "0" = hop count)
    private static int WriteEntry(ArrayBufferWriter<byte> output, ClientSession client, string channel, ClientIdentity who)
    {
        if (who.Nick is null)
            return 0;
        string server = client.Network.ServerName;
        IrcLineWriter.Write(output, server, IrcNumerics.RplWhoReply, client.Identity.NickOrStar, channel,
            who.UserName ?? "~user", who.Host, server, who.Nick, "H", "0 " + who.RealName);
        return 1;
    }
}
