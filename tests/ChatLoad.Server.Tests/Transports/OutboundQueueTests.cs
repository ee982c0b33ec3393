using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>The per-client outbound backlog: bounded by bytes, in order, sharing (never copying) the segments.</summary>
public sealed class OutboundQueueTests
{
    [Fact]
    public void Refuses_a_segment_that_would_pass_the_limit_and_keeps_the_rest()
    {
        var queue = new OutboundQueue(limitBytes: 10);

        Assert.True(queue.TryEnqueue(new byte[6]));
        Assert.False(queue.TryEnqueue(new byte[5]));
        Assert.True(queue.TryEnqueue(new byte[4]));

        Assert.Equal(2, queue.Count);
        Assert.Equal(10, queue.Bytes);
    }

    [Fact]
    public void Takes_segments_in_order_across_ring_growth_and_wrap_around()
    {
        var queue = new OutboundQueue(limitBytes: 1_000_000);
        var taken = new ReadOnlyMemory<byte>[3];
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 50; round++)
        {
            for (int i = 0; i < 7; i++)
                Assert.True(queue.TryEnqueue(new[] { (byte)(next++ % 256) }));
            int n;
            while ((n = queue.Take(taken, maxBytes: 1000)) > 0)
            {
                for (int i = 0; i < n; i++)
                    Assert.Equal((byte)(expected++ % 256), taken[i].Span[0]);
                queue.Release(n);
            }
        }
        Assert.Equal(next, expected);
        Assert.Equal(0, queue.Bytes);
    }

    [Fact]
    public void Shares_the_callers_bytes_without_copying()
    {
        var queue = new OutboundQueue(limitBytes: 100);
        byte[] shared = [1, 2, 3];
        queue.TryEnqueue(shared);
        var taken = new ReadOnlyMemory<byte>[1];

        queue.Take(taken, 100);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(taken[0], out ArraySegment<byte> segment));
        Assert.Same(shared, segment.Array);
    }

    [Fact]
    public void Taken_bytes_count_against_the_limit_until_released()
    {
        var queue = new OutboundQueue(limitBytes: 10);
        queue.TryEnqueue(new byte[8]);
        var taken = new ReadOnlyMemory<byte>[4];
        queue.Take(taken, 100);

        Assert.False(queue.TryEnqueue(new byte[4])); // 8 in flight + 4 > 10
        queue.Release(8);
        Assert.True(queue.TryEnqueue(new byte[4]));
    }

    [Fact]
    public void Take_stops_at_the_byte_budget_but_always_takes_one()
    {
        var queue = new OutboundQueue(limitBytes: 1000);
        queue.TryEnqueue(new byte[300]);
        queue.TryEnqueue(new byte[300]);
        queue.TryEnqueue(new byte[300]);
        var taken = new ReadOnlyMemory<byte>[8];

        Assert.Equal(1, queue.Take(taken, maxBytes: 100));
        Assert.Equal(1, queue.Take(taken, maxBytes: 500));
        Assert.Equal(1, queue.Take(taken, maxBytes: 600));
    }

    [Fact]
    public void The_closing_ERROR_line_goes_in_even_when_full_and_Clear_empties_everything()
    {
        var queue = new OutboundQueue(limitBytes: 4);
        queue.TryEnqueue(new byte[4]);
        queue.EnqueueUnbounded(new byte[20]);
        Assert.Equal(24, queue.Bytes);

        queue.Clear();

        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.Bytes);
        Assert.Equal(0, queue.Take(new ReadOnlyMemory<byte>[4], 100));
    }
}
