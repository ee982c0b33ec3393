using ChatLoad.Irc;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>QUIT [:reason]</c>: the members of all the client's channels see <c>:nick!user@host QUIT :Quit: reason</c>,
/// the client gets <c>ERROR :Closing link ...</c> and the connection closes. The "Quit: " prefix (as most servers
/// add it) keeps a client from faking a server-made reason such as "Ping timeout".
/// </summary>
internal sealed class QuitCommand : ICommandHandler
{
    public string Name => "QUIT";
    public CommandRules Rules => new(AllowedBeforeRegistration: true);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        string reason = message.ParameterCount > 0 && !message[0].IsEmpty ? "Quit: " + message.GetString(0) : "Quit";
        ClientIdentity identity = client.Identity;
        client.Depart(reason);
        client.CloseWith($"Closing link: {identity.NickOrStar}[{identity.Host}] ({reason})");
    }
}
