using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// Modes are out of scope, but clients ask for them right after connecting and joining (<c>MODE nick</c>,
/// <c>MODE #chan</c>, <c>MODE #chan b</c>). Queries get the honest answer "no modes"; attempts to set a mode get
/// the error a server without that mode gives.
/// </summary>
internal sealed class ModeCommand : ICommandHandler
{
    private const string RplEndOfBanList = "368";

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
        {
            Channel? channel = client.Network.Channels.Find(target);
            if (channel is null)
                client.SendNumeric(IrcNumerics.ErrNoSuchChannel, message.GetString(0), "No such channel");
            else if (message.ParameterCount == 1)
                client.SendNumeric(IrcNumerics.RplChannelModeIs, channel.Name, "+");
            else if (message.ParameterCount == 2 && (message[1].SequenceEqual("b"u8) || message[1].SequenceEqual("+b"u8)))
                client.SendNumeric(RplEndOfBanList, channel.Name, "End of channel ban list");
            else
                client.SendNumeric(IrcNumerics.ErrChanOPrivsNeeded, channel.Name, "You're not channel operator");
            return;
        }

        if (client.Network.Nicks.Find(target) != client)
            client.SendNumeric(IrcNumerics.ErrUsersDontMatch, "Can't change mode for other users");
        else if (message.ParameterCount == 1)
            client.SendNumeric(IrcNumerics.RplUModeIs, "+");
        else
            client.SendNumeric(IrcNumerics.ErrUModeUnknownFlag, "Unknown MODE flag");
    }
}
