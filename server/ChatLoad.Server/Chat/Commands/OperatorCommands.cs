using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Operators;
using ChatLoad.Server.Chat.Sessions;
using ChatLoad.Server.Chat.Users;
using ChatLoad.Server.Hosting;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>OPER name password</c>: checked against the configured operators' PBKDF2 hashes. Success: 381 and user mode
/// +o (and +w, so the new operator hears WALLOPS). A wrong name or password get the same 464, so names cannot be
/// probed; no operators configured at all: 491. Every attempt is logged.
/// </summary>
internal sealed class OperCommand : ICommandHandler
{
    public string Name => "OPER";
    public CommandRules Rules => new(MinimumParameters: 2);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        string name = message.GetString(0);
        ChatNetwork network = client.Network;
        List<OperatorEntry> operators = network.Options.Operators;
        if (operators.Count == 0)
        {
            client.SendNumeric(IrcNumerics.ErrNoOperHost, "No O-lines for your host");
            return;
        }
        OperatorEntry? entry = operators.Find(o => o.Name == name);
        // Hash even for an unknown name, so the reply time does not tell which names exist.
        bool valid = OperatorPassword.Verify(message.GetString(1), entry?.PasswordHash ?? operators[0].PasswordHash) && entry is not null;
        if (!valid)
        {
            ChatLog.OperFailed(network.Logger, client.Id, client.Identity.PrefixText, name);
            client.SendNumeric(IrcNumerics.ErrPasswdMismatch, "Password incorrect");
            return;
        }
        ChatLog.OperSucceeded(network.Logger, client.Id, client.Identity.PrefixText, name);
        client.SendNumeric(IrcNumerics.RplYoureOper, "You are now an IRC operator");
        ModeCommand.SetUserModes(client, client.Modes, client.Modes | UserModes.Operator | UserModes.Wallops);
    }
}

/// <summary>
/// <c>KILL nick :reason</c> (operators only, else 481): the target gets the KILL line and
/// <c>ERROR :Killed (oper (reason))</c> and is disconnected; its channels see it quit with that reason.
/// </summary>
internal sealed class KillCommand : ICommandHandler
{
    public string Name => "KILL";
    public CommandRules Rules => new(MinimumParameters: 1);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        if (!client.IsOperator)
        {
            client.SendNumeric(IrcNumerics.ErrNoPrivileges, "Permission Denied- You're not an IRC operator");
            return;
        }
        ClientSession? target = client.Network.Nicks.FindUser(message[0]);
        if (target is null)
        {
            client.SendNumeric(IrcNumerics.ErrNoSuchNick, message.GetString(0), "No such nick/channel");
            return;
        }
        string reason = message.ParameterCount > 1 && !message[1].IsEmpty ? message.GetString(1) : "No reason given";
        string killer = client.Identity.NickOrStar;
        ChatLog.Killed(client.Network.Logger, target.Id, target.Identity.PrefixText, killer, reason);
        var notice = new RelayedMessage(client.Network, RelayedLine.Format(client.Identity, "KILL", target.Identity.NickOrStar, reason));
        target.Deliver(ref notice);
        target.CloseWith($"Killed ({killer} ({reason}))");
    }
}

/// <summary>
/// <c>WALLOPS :text</c> (operators only, else 481): <c>:nick!user@host WALLOPS :text</c> to every user with +w
/// (the sender included, when it has +w).
/// </summary>
internal sealed class WallopsCommand : ICommandHandler
{
    public string Name => "WALLOPS";
    public CommandRules Rules => new(MinimumParameters: 1);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        if (!client.IsOperator)
        {
            client.SendNumeric(IrcNumerics.ErrNoPrivileges, "Permission Denied- You're not an IRC operator");
            return;
        }
        var notice = new RelayedMessage(client.Network, RelayedLine.Format(client.Identity, "WALLOPS", null, message[0]));
        int recipients = 0;
        foreach (ClientSession user in client.Network.Nicks.Holders)
        {
            if (!user.IsRegistered || (user.Modes & UserModes.Wallops) == 0)
                continue;
            if (ReferenceEquals(user, client))
                client.Echo(ref notice);
            else
                user.Deliver(ref notice);
            recipients++;
        }
        client.Network.Metrics.LinesQueued(recipients);
    }
}
