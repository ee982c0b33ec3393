using System.Text;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Tests.Chat.Logic;

/// <summary>
/// The identity keeps only the prefix's bytes (an idle client's memory): its text and its nick bytes are derived from
/// them, so they must read exactly as the fields they replaced, at every stage of registration.
/// </summary>
public class ClientIdentityTests
{
    [Theory]
    [InlineData(null, null, "*", "")]
    [InlineData("alice", null, "alice", "alice")]
    [InlineData("alice", "al", "alice!al@127.0.0.1", "alice")]
    [InlineData("[b|o]b`", "~u", "[b|o]b`!~u@127.0.0.1", "[b|o]b`")]
    public void The_prefix_text_and_the_nick_bytes_come_from_the_prefix(string? nick, string? user, string prefixText, string nickBytes)
    {
        var identity = new ClientIdentity(nick, user, "Real Name", "127.0.0.1");

        Assert.Equal(prefixText, identity.PrefixText);
        Assert.Equal(Encoding.UTF8.GetBytes(prefixText), identity.Prefix);
        Assert.Equal(Encoding.ASCII.GetBytes(nickBytes), identity.NickBytes.ToArray());
    }

    [Fact]
    public void A_nick_change_derives_both_from_the_new_prefix()
    {
        ClientIdentity renamed = new ClientIdentity("alice", "al", "A", "host.example").WithNick("bob");

        Assert.Equal("bob!al@host.example", renamed.PrefixText);
        Assert.Equal("bob"u8.ToArray(), renamed.NickBytes.ToArray());
    }
}
