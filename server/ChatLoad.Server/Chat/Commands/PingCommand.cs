using ChatLoad.Irc;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary><c>PING x</c> → <c>:server PONG server :x</c>. Allowed before registration: clients ping to measure lag.</summary>
internal sealed class PingCommand : ICommandHandler
{
    public string Name => "PING";
    public CommandRules Rules => new(AllowedBeforeRegistration: true);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        if (message.ParameterCount == 0)
        {
            client.SendNumeric(IrcNumerics.ErrNoOrigin, "No origin specified");
            return;
        }
        string server = client.Network.ServerName;
        Span<byte> buffer = stackalloc byte[IrcLimits.MaxLineBytes];
        var line = new IrcLineBuilder(buffer);
        line.AppendSource(server);
        line.AppendCommand("PONG");
        line.AppendParameter(server);
        line.AppendTrailing(message[0]);
        client.Send(line.ToArray());
    }
}

/// <summary>PONG answers our PING. Receiving any line already counted as activity, so there is nothing left to do.</summary>
internal sealed class PongCommand : ICommandHandler
{
    public string Name => "PONG";
    public CommandRules Rules => new(AllowedBeforeRegistration: true, Silent: true);

    public void Handle(ClientSession client, in IrcMessage message)
    {
    }
}
