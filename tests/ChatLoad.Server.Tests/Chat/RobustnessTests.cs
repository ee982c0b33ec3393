using System.Text;
using ChatLoad.Server.Tests.Chat.Fakes;

namespace ChatLoad.Server.Tests.Chat;

/// <summary>Odd and random input never makes a handler throw (the harness fails the test on any logged error).</summary>
public class RobustnessTests
{
    [Theory]
    [InlineData("MODE :")]
    [InlineData("TOPIC :")]
    [InlineData("TOPIC : x")]
    [InlineData("CAP :")]
    [InlineData("JOIN :#a b")]
    [InlineData("JOIN ,,,")]
    [InlineData("PART :")]
    [InlineData("PART ,")]
    [InlineData("PRIVMSG : :x")]
    [InlineData("PRIVMSG , :x")]
    [InlineData("PRIVMSG # :x")]
    [InlineData("NOTICE :")]
    [InlineData("WHO :")]
    [InlineData("WHO #")]
    [InlineData("NAMES :")]
    [InlineData("NICK :")]
    [InlineData("USER a b c :")]
    [InlineData("PING :")]
    [InlineData("QUIT :")]
    public void Degenerate_parameters_get_a_reply_or_nothing_never_an_exception(string line)
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Register("odd");
        client.Send(line);
        foreach (string reply in client.Take())
        {
            Assert.DoesNotContain("  ", reply); // an empty middle parameter would show as a double space
            Assert.True(Encoding.UTF8.GetByteCount(reply) <= 510);
        }
    }

    [Fact]
    public void Random_command_lines_never_throw()
    {
        using var harness = new ChatHarness();
        var clients = Enumerable.Range(0, 4).Select(i => harness.Register($"r{i}")).ToList();
        string[] commands = ["NICK", "USER", "JOIN", "PART", "PRIVMSG", "NOTICE", "TOPIC", "NAMES", "WHO", "MODE", "CAP", "PING", "PONG", "PASS", "FOO", "QUIT"];
        string[] words = ["#a", "#b", "r0", "r1", "r2", ":", ":x y", "", ",", "#a,#b", "0", "LS", "END", "REQ", "\u00e9", "#", "*", "r9"];
        var random = new Random(42);
        for (int i = 0; i < 5_000; i++)
        {
            FakeClient client = clients[random.Next(clients.Count)];
            var line = new StringBuilder(commands[random.Next(commands.Length)]);
            int count = random.Next(0, 5);
            for (int w = 0; w < count; w++)
                line.Append(' ').Append(words[random.Next(words.Length)]);
            client.Send(line.ToString());
            if (client.Connection.ClosedWith is not null) // QUIT: replace with a fresh client
                clients[clients.IndexOf(client)] = harness.Register($"n{i}");
        }
        foreach (FakeClient client in clients)
            client.Disconnect("end of test");
        Assert.Equal(0, harness.Server.ChannelCount);
        Assert.Equal(0, harness.Server.NickCount);
        Assert.Equal(0, harness.Server.ConnectionCount);
    }
}
