using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>NAMES #a,#b</c>: 353s and 366 per channel; a channel that does not exist gets only 366. Without a
/// parameter, only <c>366 *</c>: listing every channel of a loaded server would flood the asking client.
/// </summary>
internal sealed class NamesCommand : ICommandHandler
{
    public string Name => "NAMES";
    public CommandRules Rules => new();

    public void Handle(ClientSession client, in IrcMessage message)
    {
        if (message.ParameterCount == 0)
        {
            NamesReply.SendEndOnly(client, "*");
            return;
        }
        foreach (ReadOnlySpan<byte> name in new CommaList(message[0]))
        {
            Channel? channel = client.Network.Channels.Find(name);
            if (channel is null)
                NamesReply.SendEndOnly(client, Encoding.UTF8.GetString(name));
            else
                NamesReply.SendTo(client, channel);
        }
    }
}
