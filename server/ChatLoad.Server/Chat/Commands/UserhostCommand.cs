using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>USERHOST nick [nick ...]</c> (up to 5): one 302 with <c>nick[*]=+user@host</c> per known nick (<c>*</c> for an
/// operator, <c>-</c> instead of <c>+</c> when away).
/// </summary>
internal sealed class UserhostCommand : ICommandHandler
{
    /// <summary>RFC 2812 §4.8: at most five nicks per USERHOST.</summary>
    public const int MaxNicks = 5;

    public string Name => "USERHOST";
    public CommandRules Rules => new(MinimumParameters: 1);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        var output = new ReplyBuffer(client);
        output.StartWords(IrcNumerics.RplUserHost);
        for (int i = 0; i < Math.Min(message.ParameterCount, MaxNicks); i++)
        {
            if (client.Network.Nicks.FindUser(message[i]) is not { } user)
                continue;
            ClientIdentity who = user.Identity;
            string reply = $"{who.Nick}{(user.IsOperator ? "*" : "")}={(user.AwayMessage is null ? '+' : '-')}{who.UserName}@{who.Host}";
            output.Word(default, Encoding.UTF8.GetBytes(reply));
        }
        output.EndWords(evenIfEmpty: true);
        output.Send();
    }
}

/// <summary><c>ISON nick [nick ...]</c>: one 303 listing those that are online, as they spell their nicks now.</summary>
internal sealed class IsonCommand : ICommandHandler
{
    public string Name => "ISON";
    public CommandRules Rules => new(MinimumParameters: 1);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        var output = new ReplyBuffer(client);
        output.StartWords(IrcNumerics.RplIsOn);
        for (int i = 0; i < message.ParameterCount; i++)
        {
            // Some clients send the nicks as one trailing parameter.
            foreach (string nick in message.GetString(i).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (client.Network.Nicks.FindUser(nick) is { Identity.Nick: { } current })
                    output.Word(current);
            }
        }
        output.EndWords(evenIfEmpty: true);
        output.Send();
    }
}
