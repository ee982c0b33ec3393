using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>A peer streaming megabytes without a newline gets 417 once, keeps its connection, and disturbs nobody.</summary>
public sealed class LongLineTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task One_MiB_without_newline_is_answered_417_and_the_server_stays_up(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient flooder = await server.ConnectAndRegisterAsync("flooder");
        await using TestIrcClient bystander = await server.ConnectAndRegisterAsync("bystander");

        byte[] mebibyte = new byte[1024 * 1024];
        Array.Fill(mebibyte, (byte)'a');
        Task flooding = flooder.SendRawAsync(mebibyte);

        // Others are served while the flood streams in.
        await bystander.SendLineAsync("PING during");
        Assert.EndsWith("during", await bystander.ExpectCommandAsync("PONG"));

        await flooding;
        await flooder.SendRawAsync("\r\nPING after\r\n"u8.ToArray());
        string tooLong = await flooder.ExpectCommandAsync("417");
        Assert.Contains("417 flooder", tooLong);
        Assert.EndsWith("after", await flooder.ExpectCommandAsync("PONG"));
        Assert.DoesNotContain(flooder.Received, l => TestIrcClient.CommandOf(l) == "ERROR");
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Bare_LF_and_invalid_UTF8_do_not_break_the_connection(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient client = await server.ConnectAndRegisterAsync("odd");

        await client.SendRawAsync(new byte[] { (byte)'P', (byte)'I', (byte)'N', (byte)'G', (byte)' ', 0xC3, 0x28, 0xFF, (byte)'\n' });
        Assert.EndsWith(" FAIL PING INVALID_UTF8 :Message rejected for containing invalid UTF-8", await client.ExpectCommandAsync("FAIL"));
        await client.SendRawAsync("PING lf-only\n"u8.ToArray());
        Assert.EndsWith("lf-only", await client.ExpectCommandAsync("PONG"));
    }
}
