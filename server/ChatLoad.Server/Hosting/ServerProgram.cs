using ChatLoad.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatLoad.Server.Hosting;

/// <summary>
/// The executable's flow: parse (System.CommandLine: <c>--help</c> anywhere shows the switches and starts nothing;
/// an unknown switch or bad value is one line on stderr and exit code 2), validate the bound options (exit 2 too),
/// run the host until SIGINT/SIGTERM (exit 0 after the staged shutdown), or exit 1 when the listener cannot start.
/// </summary>
public static class ServerProgram
{
    public const int ExitOk = ExitCodes.Ok;
    public const int ExitBadOptions = ExitCodes.Usage;
    private const string Name = ServerCommandLine.Program;

    public static Task<int> RunAsync(string[] args) =>
        CommandLineRun.InvokeAsync(ServerCommandLine.Create((values, _) => RunHostAsync(values)), args, Name);

    private static async Task<int> RunHostAsync(IReadOnlyDictionary<string, string?> commandLine)
    {
        HostApplicationBuilder builder = ServerHost.CreateBuilder(commandLine);

        if (ServerOptionsLoader.TryLoad(builder.Configuration, out string? error) is null)
            return BadOptions(error!);

        using IHost host = builder.Build();
        StartupFailure failure = host.Services.GetRequiredService<StartupFailure>(); // RunAsync disposes the services
        try
        {
            await host.RunAsync().ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            return BadOptions(string.Join("; ", ex.Failures));
        }

        if (failure.Reason is not null)
        {
            Console.Error.WriteLine($"{Name}: {failure.Reason}");
            return StartupFailure.ExitCode;
        }
        return ExitOk;
    }

    private static int BadOptions(string message)
    {
        Console.Error.WriteLine($"{Name}: invalid options: {message}");
        return ExitBadOptions;
    }
}
