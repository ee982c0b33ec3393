using ChatLoad.Irc;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>PASS secret</c> before NICK/USER. When the server has a password, a wrong one gets 464 and the connection is
/// closed at once, so each guess costs the guesser a new connection; a client that registers without PASS gets the
/// same when registration completes.
/// </summary>
internal sealed class PassCommand : ICommandHandler
{
    public string Name => "PASS";
    public CommandRules Rules => new(MinimumParameters: 1, AllowedBeforeRegistration: true);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        if (client.IsRegistered)
        {
            client.SendNumeric(IrcNumerics.ErrAlreadyRegistered, "You may not reregister");
            return;
        }
        client.Registration.Password = message.GetString(0);
        client.Registration.RefuseWrongPassword(client);
    }
}
