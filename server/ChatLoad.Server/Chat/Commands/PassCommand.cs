using ChatLoad.Irc;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary><c>PASS secret</c> before NICK/USER; checked when registration completes (464 and a close if wrong).</summary>
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
    }
}
