using System.Diagnostics;
using ChatLoad.Server.Chat.Operators;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Hosting;

/// <summary>How an administrator makes and configures operator passwords, checked on the real executable.</summary>
public sealed class OperatorConfigurationTests
{
    [Fact]
    public async Task Hash_password_prints_a_hash_of_the_password_read_from_standard_input()
    {
        (int exit, string stdout, _) = await RunAsync(["hash-password"], stdin: "s3cret\n");
        Assert.Equal(ServerProgram.ExitOk, exit);
        string hash = stdout.Trim();
        Assert.True(OperatorPassword.Verify("s3cret", hash), hash);
        Assert.DoesNotContain("s3cret", hash);
    }

    [Fact]
    public async Task Hash_password_without_input_is_a_usage_error()
    {
        (int exit, _, string stderr) = await RunAsync(["hash-password"], stdin: "");
        Assert.Equal(ServerProgram.ExitBadOptions, exit);
        Assert.Contains("standard input", stderr);
    }

    [Fact]
    public async Task A_plain_password_in_the_operator_configuration_stops_the_server_with_one_line()
    {
        (int exit, string stdout, string stderr) = await RunAsync(["--mode", "async", "--port", "0"], stdin: "", new()
        {
            ["CHATLOAD_Server__Operators__0__Name"] = "root",
            ["CHATLOAD_Server__Operators__0__PasswordHash"] = "hunter2",
        });
        Assert.Equal(ServerProgram.ExitBadOptions, exit);
        Assert.Contains("Operators: root's PasswordHash must look like pbkdf2-sha256$", stderr);
        Assert.DoesNotContain("Listening", stdout);
    }

    private static async Task<(int Exit, string StdOut, string StdErr)> RunAsync(string[] args, string stdin, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerProcess.ServerDllPath);
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        foreach ((string key, string value) in environment ?? [])
            start.Environment[key] = value;
        using Process process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"server [{string.Join(' ', args)}] did not exit within 60 s");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
