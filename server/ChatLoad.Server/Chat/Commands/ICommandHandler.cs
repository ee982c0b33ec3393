using ChatLoad.Irc;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// When a command may run, checked by <see cref="CommandDispatcher"/> before the handler sees it.
/// </summary>
/// <param name="MinimumParameters">Fewer gets 461 ERR_NEEDMOREPARAMS.</param>
/// <param name="AllowedBeforeRegistration">Otherwise an unregistered client gets 451 ERR_NOTREGISTERED.</param>
/// <param name="Silent">Never answer with an error (NOTICE: RFC 2812 §3.3.2 forbids automatic replies to it).</param>
internal readonly record struct CommandRules(int MinimumParameters = 0, bool AllowedBeforeRegistration = false, bool Silent = false);

/// <summary>One IRC command. Handlers are stateless singletons; all state is in the session and the network.</summary>
internal interface ICommandHandler
{
    /// <summary>The command word, upper case.</summary>
    string Name { get; }

    CommandRules Rules { get; }

    /// <summary>Runs on the client's own thread, in the order its lines arrived. <paramref name="message"/>
    /// (and every span from it) is valid only during the call.</summary>
    void Handle(ClientSession client, in IrcMessage message);
}
