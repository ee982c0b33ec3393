using System.Text;
using ChatLoad.Server.Chat;
using ChatLoad.Server.Chat.Capabilities;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ChatLoad.Server.Tests.Chat.Logic;

/// <summary>The forms of one relayed line, and labeled replies.</summary>
public class RelayTests
{
    private static readonly byte[] Plain = "@ignored :a!a@h PRIVMSG #c :hi\r\n"u8[9..].ToArray();

    [Fact]
    public void Each_capability_set_gets_its_form_built_once()
    {
        ChatNetwork network = Network();
        var relay = new RelayedMessage(network, Plain, "+baz=bat;fizz=buzz;+q"u8, fromBot: true);

        Assert.Same(Plain, Array(relay.For(ClientCapabilities.None)));
        Assert.Same(Plain, Array(relay.For(ClientCapabilities.EchoMessage | ClientCapabilities.MultiPrefix))); // caps that do not touch relays
        string timed = Text(relay.For(ClientCapabilities.ServerTime));
        string tagged = Text(relay.For(ClientCapabilities.MessageTags));
        string both = Text(relay.For(ClientCapabilities.ServerTime | ClientCapabilities.MessageTags));

        Assert.Equal("@time=2026-01-01T00:00:00.000Z :a!a@h PRIVMSG #c :hi\r\n", timed);
        Assert.Matches(@"^@msgid=[0-9a-f]+;bot;\+baz=bat;\+q :a!a@h PRIVMSG #c :hi\r\n$", tagged); // fizz is not client-only: never relayed
        Assert.Matches(@"^@time=2026-01-01T00:00:00\.000Z;msgid=[0-9a-f]+;bot;\+baz=bat;\+q :a!a@h PRIVMSG", both);
        Assert.Equal(MsgId(tagged), MsgId(both)); // one message, one id
        Assert.Same(Array(relay.For(ClientCapabilities.MessageTags)), Array(relay.For(ClientCapabilities.MessageTags))); // cached
    }

    [Fact]
    public void A_tags_only_message_reaches_message_tags_clients_only()
    {
        var relay = new RelayedMessage(Network(), "a TAGMSG #c\r\n"u8.ToArray(), "+typing=active"u8, tagsOnly: true);
        Assert.True(relay.For(ClientCapabilities.None).IsEmpty);
        Assert.True(relay.For(ClientCapabilities.ServerTime).IsEmpty);
        Assert.Contains("+typing=active", Text(relay.For(ClientCapabilities.MessageTags)));
    }

    [Fact]
    public void Message_ids_differ_between_messages()
    {
        ChatNetwork network = Network();
        Assert.NotEqual(network.NextMessageId(), network.NextMessageId());
    }

    [Theory]
    [InlineData("label=1", ":s PING\r\n", "@label=1 :s PING\r\n")]
    [InlineData("label=1", "@time=x :s PING\r\n", "@label=1;time=x :s PING\r\n")]
    [InlineData("", ":s PING\r\n", ":s PING\r\n")]
    public void Tags_are_merged_into_the_tag_section_a_line_already_has(string tags, string line, string expected)
    {
        Assert.Equal(expected, Encoding.UTF8.GetString(RelayedMessage.WithTagSection(tags, Encoding.UTF8.GetBytes(line))));
    }

    [Fact]
    public void A_labeled_command_without_replies_gets_ack()
    {
        var reply = new LabeledReply("abc", ownerThread: 1, canBatch: true);
        Assert.Equal("@label=abc :srv ACK\r\n", Encoding.UTF8.GetString(reply.Finish("srv", "b1")));
    }

    [Fact]
    public void One_reply_is_labeled_and_several_are_wrapped_in_a_labeled_batch()
    {
        var single = new LabeledReply("abc", 1, canBatch: true);
        single.Add(":srv 306 me :away\r\n"u8);
        Assert.Equal("@label=abc :srv 306 me :away\r\n", Encoding.UTF8.GetString(single.Finish("srv", "b1")));

        var several = new LabeledReply("abc", 1, canBatch: true);
        several.Add(":srv 311 me x\r\n:srv 318 me x :End\r\n"u8);
        Assert.Equal(
            "@label=abc :srv BATCH +b1 labeled-response\r\n@batch=b1 :srv 311 me x\r\n@batch=b1 :srv 318 me x :End\r\n:srv BATCH -b1\r\n",
            Encoding.UTF8.GetString(several.Finish("srv", "b1")));
    }

    private static ChatNetwork Network()
    {
        var options = new ServerOptions { Mode = ConnectionMode.Async, ServerName = "srv" };
        return new ChatNetwork(options, new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)), NullLogger.Instance, new ChatMetrics());
    }

    private static byte[] Array(ReadOnlyMemory<byte> memory) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out ArraySegment<byte> segment) ? segment.Array! : [];

    private static string Text(ReadOnlyMemory<byte> memory) => Encoding.UTF8.GetString(memory.Span);

    private static string MsgId(string line) => line.Split(';').First(t => t.Contains("msgid=")).Split("msgid=")[1];
}
