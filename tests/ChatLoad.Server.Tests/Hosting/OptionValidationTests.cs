using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace ChatLoad.Server.Tests.Hosting;

/// <summary>Bad options stop the server before it starts: one clear line on stderr, exit code 2, no stack trace.</summary>
[Collection(ServerProcessCollection.Name)]
public sealed class OptionValidationTests
{
    [Theory]
    [InlineData("--mode bogus --port 0", "--mode")]
    [InlineData("--port 0", "--mode")]
    [InlineData("--mode threads --port 70000", "--port")]
    [InlineData("--mode async --port abc", "--port: 'abc' is not a whole number")]
    [InlineData("--mode async --prot 7000", "unknown option '--prot' (did you mean --port?)")]
    [InlineData("--mode async --port 0 --send-timeout 2", "--send-timeout: '2' has no unit")]
    [InlineData("--mode async --port 0 --ping-interval soon", "--ping-interval: 'soon' is not a duration")]
    [InlineData("--mode async --port 0 --bind not-an-address", "--bind")]
    [InlineData("--mode async --port 0 --flood-control maybe", "--flood-control")]
    [InlineData("--mode async --port 0 --enforce-utf8 maybe", "--enforce-utf8")]
    [InlineData("--mode async --port 0 --metrics-bind not-an-address", "--metrics-bind")]
    [InlineData("--mode async --port 0 --max-targets 0", "--max-targets")]
    [InlineData("--mode async --port 0 --flood-cooldown 0s", "--flood-cooldown")]
    [InlineData("--mode async --port 0 --send-timeout 0s", "--send-timeout")]
    [InlineData("--mode async --port 0 --send-coalescing-window 2s", "--send-coalescing-window must be between 0 ms and 1 s")]
    [InlineData("--mode async --port 0 --socket-engine kqueue", "--socket-engine")]
    [InlineData("--mode threads --port", "--port")]
    [InlineData("--mode 1 --port 0", "--mode must be threads or async")]
    public async Task Bad_options_exit_with_code_2_and_one_line(string commandLine, string mentioned)
    {
        ProcessRun run = await ServerProcess.RunToExitAsync(TimeSpan.FromSeconds(60), commandLine.Split(' '));

        Assert.Equal(ServerProgram.ExitBadOptions, run.ExitCode);
        string[] lines = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(mentioned, lines[0]);
        Assert.DoesNotContain("   at ", run.StdErr + run.StdOut);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("--mode async --port 0 --help")]
    public async Task Help_shows_every_switch_with_its_default_and_starts_nothing(string commandLine)
    {
        ProcessRun run = await ServerProcess.RunToExitAsync(TimeSpan.FromSeconds(60), commandLine.Split(' '));

        Assert.Equal(ServerProgram.ExitOk, run.ExitCode);
        Assert.Contains("--send-timeout <duration>", run.StdOut);
        Assert.Contains("[default: 2s]", run.StdOut);
        Assert.Contains("--mode <threads|async>", run.StdOut);
        // Every ServerOptions property is a switch: one added by another part of the server shows up by itself.
        // Lists (Operators) are the exception by design: they are configured in appsettings.json or CHATLOAD_ variables.
        foreach (var name in typeof(ServerOptions).GetProperties()
                     .Where(p => !p.PropertyType.IsGenericType || p.PropertyType.GetGenericTypeDefinition() != typeof(List<>))
                     .Select(p => "--" + ServerCommandLine.Kebab(p.Name)))
            Assert.Contains(name, run.StdOut);
        Assert.DoesNotContain("--operators", run.StdOut);
        Assert.DoesNotContain("listening", run.StdOut, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Switches_are_derived_from_the_options_with_their_xml_docs()
    {
        var timeout = ServerCommandLine.Switches.Single(s => s.Name == "--send-timeout");
        Assert.Equal("Server:SendTimeout", timeout.ConfigurationKey);
        Assert.Contains("close deadline", timeout.Option.Description);
        Assert.Equal("--max-channels-per-client", ServerCommandLine.SwitchFor(nameof(ServerOptions.MaxChannelsPerClient)));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_port_in_use_is_one_line_and_exit_code_1(ConnectionMode mode)
    {
        await using TestServer first = await TestServer.StartAsync(ConnectionMode.Async);

        ProcessRun run = await ServerProcess.RunToExitAsync(TimeSpan.FromSeconds(60),
            "--mode", mode.ToString(), "--port", first.Port.ToString());

        Assert.Equal(StartupFailure.ExitCode, run.ExitCode);
        string[] lines = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains($"cannot listen on 127.0.0.1:{first.Port}", lines[0]);
        Assert.DoesNotContain("   at ", run.StdErr + run.StdOut);
    }

    [Fact]
    public void Friendly_values_are_rewritten_for_the_binder()
    {
        ServerOptions? options = Load("--mode", "ASYNC", "--send-timeout", "500ms", "--ping-interval", "2m",
            "--shutdown-timeout=3s", "--flood-control", "on", "--max-clients", "10", "--motd=--hello--");

        Assert.NotNull(options);
        Assert.Equal(ConnectionMode.Async, options.Mode);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.SendTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), options.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ShutdownTimeout);
        Assert.True(options.FloodControl);
        Assert.Equal(10, options.MaxClients);
        Assert.Equal("--hello--", options.Motd);
    }

    [Fact]
    public void Environment_variables_with_the_CHATLOAD_prefix_are_read()
    {
        Environment.SetEnvironmentVariable("CHATLOAD_Server__ServerName", "env.example");
        try
        {
            ServerOptions? options = Load("--mode", "threads");
            Assert.Equal("env.example", options?.ServerName);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CHATLOAD_Server__ServerName", null);
        }
    }

    [Fact]
    public void The_command_line_wins_over_appsettings()
    {
        ServerOptions? fromFile = Load("--mode", "threads");
        ServerOptions? fromArgs = Load("--mode", "threads", "--port", "7001");

        Assert.Equal(6667, fromFile?.Port); // appsettings.json
        Assert.Equal(7001, fromArgs?.Port);
    }

    private static ServerOptions? Load(params string[] args)
    {
        IConfiguration configuration = ServerHost.CreateBuilder(args).Configuration;
        ServerOptions? options = ServerOptionsLoader.TryLoad(configuration, out string? error);
        Assert.True(error is null, error);
        return options;
    }
}
