using System.CommandLine;
using ChatLoad.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatLoad.Server.Hosting;

/// <summary>
/// The executable's flow: parse (System.CommandLine: <c>--help</c> anywhere shows the switches and starts nothing;
/// an unknown switch or bad value is one line on stderr and exit code 2), validate the bound options (exit 2 too),
/// run the host until SIGINT/SIGTERM (exit 0 after the staged shutdown), or exit 1 when the listener cannot start.
/// <c>chatload-server hash-password</c> instead prints the PBKDF2 hash of a password read from standard input,
/// for the <c>Operators</c> entries of the configuration.
/// </summary>
public static class ServerProgram
{
    public const int ExitOk = ExitCodes.Ok;
    public const int ExitBadOptions = ExitCodes.Usage;
    private const string Name = ServerCommandLine.Program;

    /// <summary>The subcommand that hashes an operator password.</summary>
    public const string HashPasswordCommand = "hash-password";

    public static Task<int> RunAsync(string[] args)
    {
        RootCommand root = ServerCommandLine.Create((values, _) => RunHostAsync(values));
        var hash = new Command(HashPasswordCommand,
            "Prints the PBKDF2 hash of a password read from standard input (one line), for an Operators entry's PasswordHash.");
        hash.SetAction(_ => HashPassword());
        root.Subcommands.Add(hash);
        return CommandLineRun.InvokeAsync(root, args, Name);
    }

    // The password comes from standard input, never the command line, where ps and shell history would show it.
    private static int HashPassword()
    {
        string? password = Console.In.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine($"{Name}: {HashPasswordCommand} reads the password from standard input (one line, not empty)");
            return ExitBadOptions;
        }
        Console.WriteLine(Chat.Operators.OperatorPassword.Hash(password));
        return ExitOk;
    }

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
