using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using ChatLoad.LoadEngine.Cluster.Agent;

namespace ChatLoad.LoadEngine.Cli;

/// <summary><c>agent --nats URL [--name N] [--group G] [--source-ip ADDR]… [--assembly PATH]…</c>: runs a load agent
/// until Ctrl+C or SIGTERM.</summary>
internal static partial class AgentCommand
{
    public static async Task<int> RunAsync(CommandLineOptions cli, IReadOnlyList<ScenarioFactory> scenarios, TextWriter output, TextWriter errors,
        TimeProvider time, bool handleSignals, CancellationToken ct)
    {
        ScenarioCatalog catalog;
        try
        {
            catalog = ScenarioCatalog.Create(scenarios, cli.Assemblies);
        }
        catch (ScenarioAssemblyException ex)
        {
            errors.WriteLine($"error: {ex.Message}");
            return LoadTestApp.ExitUsage;
        }
        var options = new AgentOptions(cli.AgentNats!, cli.AgentName ?? DefaultName(), cli.AgentGroup ?? "",
            cli.AgentSourceAddresses.Select(IPAddress.Parse).ToArray());

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ConsoleCancelEventHandler? onCtrlC = null;
        PosixSignalRegistration? onTerm = null;
        if (handleSignals)
        {
            onCtrlC = (_, e) =>
            {
                if (stop.IsCancellationRequested) return;
                e.Cancel = true;
                stop.Cancel();
            };
            Console.CancelKeyPress += onCtrlC;
            onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
        }
        try
        {
            return await new AgentHost(options, catalog.Scenarios, output, time).RunAsync(stop.Token);
        }
        finally
        {
            if (onCtrlC is not null) Console.CancelKeyPress -= onCtrlC;
            onTerm?.Dispose();
        }
    }

    /// <summary>The host name and process id, as a valid agent name (unique on one machine).</summary>
    private static string DefaultName()
    {
        string host = NotAName().Replace(Environment.MachineName, "-");
        return $"{(host.Length > 40 ? host[..40] : host)}-{Environment.ProcessId}";
    }

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex NotAName();
}
