using System.Globalization;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// Commands that may name a server (<c>TIME [server]</c>, <c>VERSION [server]</c>, <c>INFO [server]</c>): this one
/// answers for itself and for a mask matching its name; any other name gets 402, since there are no links.
/// </summary>
internal static class ServerTarget
{
    public static bool IsThisServer(ClientSession client, in IrcMessage message)
    {
        if (message.ParameterCount == 0 || message[0].IsEmpty)
            return true;
        string target = message.GetString(0);
        string server = client.Network.ServerName;
        // A nick names "the server that client is on", which is this one.
        if (IrcMask.IsMatch(target, server) || client.Network.Nicks.FindUser(target) is not null)
            return true;
        client.SendNumeric(IrcNumerics.ErrNoSuchServer, target, "No such server");
        return false;
    }
}

/// <summary><c>TIME</c>: 391 with the server's local time as text (modern.ircdocs.horse's common form).</summary>
internal sealed class TimeCommand : ICommandHandler
{
    public string Name => "TIME";
    public CommandRules Rules => new();

    public void Handle(ClientSession client, in IrcMessage message)
    {
        if (!ServerTarget.IsThisServer(client, message))
            return;
        DateTimeOffset now = client.Network.Time.GetUtcNow();
        client.SendNumeric(IrcNumerics.RplTime, client.Network.ServerName, now.ToString("dddd MMMM d yyyy -- HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
    }
}

/// <summary><c>VERSION</c>: 351 <c>version server :comments</c>, then the 005 lines again.</summary>
internal sealed class VersionCommand : ICommandHandler
{
    public string Name => "VERSION";
    public CommandRules Rules => new();

    public void Handle(ClientSession client, in IrcMessage message)
    {
        if (!ServerTarget.IsThisServer(client, message))
            return;
        ChatNetwork network = client.Network;
        var output = new ReplyBuffer(client);
        output.Numeric(IrcNumerics.RplVersion, ChatNetwork.ServerVersion, network.ServerName, $"ChatLoad, connection model {network.Options.Mode?.ToString().ToLowerInvariant()}");
        network.Greeting.Isupport.WriteTo(output);
        output.Send();
    }
}

/// <summary><c>INFO</c>: 371 lines about this server, then 374.</summary>
internal sealed class InfoCommand : ICommandHandler
{
    public string Name => "INFO";
    public CommandRules Rules => new();

    public void Handle(ClientSession client, in IrcMessage message)
    {
        if (!ServerTarget.IsThisServer(client, message))
            return;
        ChatNetwork network = client.Network;
        var output = new ReplyBuffer(client);
        output.Numeric(IrcNumerics.RplInfo, $"{network.ServerName} runs ChatLoad {ChatNetwork.ServerVersion} on .NET {Environment.Version}");
        output.Numeric(IrcNumerics.RplInfo, $"Connection model: {network.Options.Mode?.ToString().ToLowerInvariant()}");
        output.Numeric(IrcNumerics.RplInfo, "ChatLoad measures thread-per-connection against async sockets; this server is one side of that comparison.");
        output.Numeric(IrcNumerics.RplInfo, $"Up since {network.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}");
        output.Numeric(IrcNumerics.RplEndOfInfo, "End of INFO list");
        output.Send();
    }
}
