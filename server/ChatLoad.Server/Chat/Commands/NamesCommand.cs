using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>NAMES #a,#b</c> (at most MaxTargets channels, TARGMAX): 353s per channel, then one 366 naming what was asked; a channel that does not exist (or is
/// secret to the asker) gets only the 366. Without a parameter, only <c>366 *</c>: listing every channel of a
/// loaded server would flood the asking client.
/// </summary>
internal sealed class NamesCommand : ICommandHandler
{
    public string Name => "NAMES";
    public CommandRules Rules => new();

    public void Handle(ClientSession client, in IrcMessage message)
    {
        if (message.ParameterCount == 0 || message[0].IsEmpty)
        {
            NamesReply.SendEndOnly(client, "*");
            return;
        }
        var output = new ReplyBuffer(client);
        int left = client.Network.Limits.MaxTargets; // TARGMAX NAMES: channels past it are dropped, as 005 says
        foreach (ReadOnlySpan<byte> name in new CommaList(message[0]))
        {
            if (left-- == 0)
                break;
            if (client.Network.Channels.Find(name) is { } channel)
                NamesReply.Write(output, client, channel);
        }
        output.Numeric(IrcNumerics.RplEndOfNames, message.GetString(0), "End of /NAMES list.");
        output.Send();
    }
}
