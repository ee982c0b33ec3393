using System.Collections.Frozen;
using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// The command table: finds the handler for a line's command (case-insensitive, without allocating) and applies
/// the rules every command shares (451 before registration, 461 for missing parameters, 421 for the unknown).
/// </summary>
internal sealed class CommandDispatcher
{
    // No IRC command is longer; anything longer is unknown without a lookup.
    private const int LongestCommandName = 16;

    private readonly FrozenDictionary<string, ICommandHandler>.AlternateLookup<ReadOnlySpan<char>> _handlers;

    public CommandDispatcher(ICommandHandler[] handlers) =>
        _handlers = handlers.ToFrozenDictionary(h => h.Name, StringComparer.OrdinalIgnoreCase)
            .GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Every command this server understands.</summary>
    public static CommandDispatcher CreateDefault() => new(
    [
        new CapCommand(),
        new PassCommand(),
        new NickCommand(),
        new UserCommand(),
        new PingCommand(),
        new PongCommand(),
        new QuitCommand(),
        new JoinCommand(),
        new PartCommand(),
        new MessageCommand("PRIVMSG"),
        new MessageCommand("NOTICE"),
        new MessageCommand("TAGMSG"),
        new NamesCommand(),
        new TopicCommand(),
        new WhoCommand(),
        new ModeCommand(),
        new KickCommand(),
        new InviteCommand(),
        new ListCommand(),
        new WhoisCommand(),
        new WhowasCommand(),
        new LusersCommand(),
        new MotdCommand(),
        new AwayCommand(),
        new UserhostCommand(),
        new IsonCommand(),
        new TimeCommand(),
        new VersionCommand(),
        new InfoCommand(),
        new OperCommand(),
        new KillCommand(),
        new WallopsCommand(),
        new MonitorCommand(),
        new SetnameCommand(),
        new HelpCommand("HELP"),
        new HelpCommand("HELPOP"),
    ]);

    public void Dispatch(ClientSession client, in IrcMessage message)
    {
        ICommandHandler? handler = Find(message.Command);
        if (handler is null)
        {
            if (!client.IsRegistered)
                client.SendNumeric(IrcNumerics.ErrNotRegistered, "You have not registered");
            else
                client.SendNumeric(IrcNumerics.ErrUnknownCommand, Encoding.UTF8.GetString(message.Command), "Unknown command");
            return;
        }

        CommandRules rules = handler.Rules;
        if (!client.IsRegistered && !rules.AllowedBeforeRegistration)
        {
            if (!rules.Silent)
                client.SendNumeric(IrcNumerics.ErrNotRegistered, "You have not registered");
            return;
        }
        if (message.ParameterCount < rules.MinimumParameters)
        {
            if (!rules.Silent)
                client.SendNumeric(IrcNumerics.ErrNeedMoreParams, handler.Name, "Not enough parameters");
            return;
        }
        handler.Handle(client, message);
    }

    private ICommandHandler? Find(ReadOnlySpan<byte> command)
    {
        if (command.Length > LongestCommandName)
            return null;
        Span<char> name = stackalloc char[LongestCommandName];
        if (Ascii.ToUtf16(command, name, out int written) != System.Buffers.OperationStatus.Done)
            return null;
        return _handlers.TryGetValue(name[..written], out ICommandHandler? handler) ? handler : null;
    }
}
