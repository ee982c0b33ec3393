using ChatLoad.Server.Chat;
using ChatLoad.Server.Transports;
using Microsoft.Extensions.DependencyInjection;

namespace ChatLoad.Server.Hosting;

/// <summary>
/// Registers the protocol core (<see cref="ChatServer"/>, one per host) as the transports'
/// <see cref="IConnectionAcceptor"/> and as the target of the shutdown's "close every client" stage.
/// </summary>
internal static class ChatCoreRegistration
{
    public static void AddChatCore(IServiceCollection services)
    {
        services.AddSingleton<ChatServer>();
        services.AddSingleton<IConnectionAcceptor>(sp => sp.GetRequiredService<ChatServer>());
        services.AddSingleton<IServerShutdown>(sp => sp.GetRequiredService<ChatServer>());
    }
}
