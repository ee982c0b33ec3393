using System.Text;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadClient.Tests.Tracking;

public sealed class ChatPayloadTests
{
    [Theory]
    [InlineData(0, 0L, 0L, 0)]
    [InlineData(17, 42L, 123456789L, 10)]
    [InlineData(int.MaxValue, long.MaxValue, long.MaxValue, ChatPayload.MaxPaddingBytes)]
    public void Format_then_parse_round_trips(int sender, long sequence, long timestamp, int padding)
    {
        var buffer = new byte[512];
        int n = ChatPayload.Format(buffer, sender, sequence, timestamp, padding);

        Assert.True(n > 0);
        Assert.True(ChatPayload.TryParse(buffer.AsSpan(0, n), out int s, out long q, out long t));
        Assert.Equal((sender, sequence, timestamp), (s, q, t));
        Assert.Equal(padding, buffer.AsSpan(0, n).Count((byte)'x'));
    }

    [Fact]
    public void Format_writes_the_documented_text()
    {
        var buffer = new byte[64];
        int n = ChatPayload.Format(buffer, 3, 9, 1234, 4);
        Assert.Equal("3 9 1234 xxxx", Encoding.ASCII.GetString(buffer, 0, n));
    }

    [Fact]
    public void Format_reports_a_buffer_too_small_instead_of_throwing()
    {
        Assert.Equal(-1, ChatPayload.Format(new byte[8], 3, 9, 1234, 4));
    }

    [Fact]
    public void Format_rejects_padding_that_cannot_fit_a_line()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChatPayload.Format(new byte[1024], 1, 1, 1, ChatPayload.MaxPaddingBytes + 1));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello world")]
    [InlineData("1 2")]
    [InlineData("1 2 ")]
    [InlineData("1  2 3")]
    [InlineData("-1 2 3")]
    [InlineData("1 -2 3")]
    [InlineData("1 2 3x")]
    [InlineData("99999999999 2 3")]
    public void Foreign_text_is_not_taken_for_a_tracked_message(string text)
    {
        Assert.False(ChatPayload.TryParse(Encoding.ASCII.GetBytes(text), out _, out _, out _));
    }

    [Fact]
    public void A_message_without_padding_parses()
    {
        Assert.True(ChatPayload.TryParse("5 6 7"u8, out int s, out long q, out long t));
        Assert.Equal((5, 6L, 7L), (s, q, t));
    }
}
