using ChatLoad.Irc;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary><c>LUSERS</c>: 251–255, 265, 266 (also part of the registration burst).</summary>
internal sealed class LusersCommand : ICommandHandler
{
    public string Name => "LUSERS";
    public CommandRules Rules => new();

    public void Handle(ClientSession client, in IrcMessage message)
    {
        var output = new ReplyBuffer(client);
        ServerGreeting.WriteLusers(output, client.Network);
        output.Send();
    }
}

/// <summary><c>MOTD</c>: 375, 372..., 376, or 422 when none is configured.</summary>
internal sealed class MotdCommand : ICommandHandler
{
    public string Name => "MOTD";
    public CommandRules Rules => new();

    public void Handle(ClientSession client, in IrcMessage message)
    {
        var output = new ReplyBuffer(client);
        client.Network.Greeting.WriteMotd(output);
        output.Send();
    }
}
