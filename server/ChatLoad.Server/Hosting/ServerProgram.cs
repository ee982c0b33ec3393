using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatLoad.Server.Hosting;

/// <summary>
/// The executable's flow: parse and validate (a bad option is one line on stderr and exit code 2), run the host
/// until SIGINT/SIGTERM (exit 0 after the staged shutdown), or exit 1 when the listener cannot start.
/// </summary>
public static class ServerProgram
{
    public const int ExitOk = 0;
    public const int ExitBadOptions = 2;
    private const string Name = "chatload-server";

    /// <summary>Prints the PBKDF2 hash of a password read from standard input, for <c>Operators</c> entries.</summary>
    public const string HashPasswordSwitch = "--hash-password";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 1 && args[0] == HashPasswordSwitch)
            return HashPassword();

        HostApplicationBuilder builder;
        try
        {
            builder = ServerHost.CreateBuilder(args);
        }
        catch (FormatException ex)
        {
            return BadOptions(ex.Message);
        }

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

    // The password comes from standard input, never the command line, where ps and shell history would show it.
    private static int HashPassword()
    {
        string? password = Console.In.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine($"{Name}: {HashPasswordSwitch} reads the password from standard input (one line, not empty)");
            return ExitBadOptions;
        }
        Console.WriteLine(Chat.Operators.OperatorPassword.Hash(password));
        return ExitOk;
    }

    private static int BadOptions(string message)
    {
        Console.Error.WriteLine($"{Name}: invalid options: {message}");
        return ExitBadOptions;
    }
}
