using ChatLoad.Server.Metrics;
using ChatLoad.Server.Transports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatLoad.Server.Hosting;

/// <summary>
/// Builds the server's Generic Host: configuration (appsettings.json &lt; environment &lt; CHATLOAD_ environment
/// &lt; command line &lt; the overrides a caller passes), validated options, the chat core, the listener and the
/// metrics endpoint. The program and the in-process test server both start the host from here.
/// </summary>
public static class ServerHost
{
    /// <summary>Environment prefix: <c>CHATLOAD_Server__Port=7000</c> sets Server:Port.</summary>
    public const string EnvironmentPrefix = "CHATLOAD_";

    /// <exception cref="FormatException">A malformed command line (one-line message).</exception>
    public static HostApplicationBuilder CreateBuilder(string[] args, IEnumerable<KeyValuePair<string, string?>>? overrides = null) =>
        CreateBuilder(ServerCommandLine.Parse(args), overrides);

    /// <summary>The host from command-line values already parsed by <see cref="ServerCommandLine"/> ("Server:Port" → "7000").</summary>
    public static HostApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?> commandLine, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // appsettings.json sits beside the dll; scripts run it from the repository root.
            ContentRootPath = AppContext.BaseDirectory,
            Args = null, // added below, with the switch mappings
        });
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        // The switches, checked and converted by ServerCommandLine, bind above appsettings.json and the environment.
        builder.Configuration.AddInMemoryCollection(commandLine);
        if (overrides is not null)
            builder.Configuration.AddInMemoryCollection(overrides);

        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });

        IServiceCollection services = builder.Services;
        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        services.AddOptions<HostOptions>().Configure<IOptions<ServerOptions>>((host, server) =>
            // The host must wait for our staged shutdown: ShutdownTimeout plus the abort stage's margin.
            host.ShutdownTimeout = server.Value.ShutdownTimeout + TimeSpan.FromSeconds(3));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<StartupFailure>();
        services.AddSingleton<ChatMetrics>();
        ChatCoreRegistration.AddChatCore(services);
        services.AddSingleton<ListenerService>();
        services.AddHostedService(sp => sp.GetRequiredService<ListenerService>());
        services.AddSingleton<PrometheusEndpoint>();
        services.AddHostedService(sp => sp.GetRequiredService<PrometheusEndpoint>());
        services.AddHostedService<IdleMemoryTrim>();
        return builder;
    }
}
