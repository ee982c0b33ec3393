using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>
/// The per-client outbound backlog: bounded by bytes, in order, sharing (never copying) the segments. A struct
/// (its connection holds it inline), so each test keeps it in a local and mutates that one copy.
/// </summary>
public sealed class OutboundQueueTests
{
    [Fact]
    public void Refuses_a_segment_that_would_pass_the_limit_and_keeps_the_rest()
    {
        var queue = new OutboundQueue(); // default: empty, holding no ring
        const long limit = 10;

        Assert.True(queue.TryEnqueue(new byte[6], limit));
        Assert.False(queue.TryEnqueue(new byte[5], limit));
        Assert.True(queue.TryEnqueue(new byte[4], limit));

        Assert.Equal(2, queue.Count);
        Assert.Equal(10, queue.Bytes);
    }

    [Fact]
    public void Takes_segments_in_order_across_ring_growth_and_wrap_around()
    {
        var queue = new OutboundQueue();
        const long limit = 1_000_000;
        var taken = new List<ArraySegment<byte>>();
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 50; round++)
        {
            for (int i = 0; i < 7; i++)
                Assert.True(queue.TryEnqueue(new[] { (byte)(next++ % 256) }, limit));
            int n;
            while ((n = queue.TakeInto(taken, maxSegments: 3, maxBytes: 1000, out long bytes)) > 0)
            {
                Assert.Equal(n, bytes);
                foreach (ArraySegment<byte> segment in taken)
                    Assert.Equal((byte)(expected++ % 256), segment[0]);
                taken.Clear();
                queue.Release(bytes);
            }
        }
        Assert.Equal(next, expected);
        Assert.Equal(0, queue.Bytes);
    }

    [Fact]
    public void An_emptied_queue_holds_no_ring_so_an_idle_client_costs_none()
    {
        var queue = new OutboundQueue();
        const long limit = 1_000_000;
        var taken = new List<ArraySegment<byte>>();
        for (int i = 0; i < 100; i++) // a welcome burst: the ring grows past its first size
            queue.TryEnqueue(new byte[10], limit);
        Assert.True(queue.RingCapacity >= 100);

        while (queue.TakeInto(taken, maxSegments: 64, maxBytes: 100_000, out long bytes) > 0)
            queue.Release(bytes);

        Assert.Equal(0, queue.RingCapacity);
        Assert.True(queue.TryEnqueue(new byte[10], limit)); // and it comes back when needed
        Assert.Equal(1, queue.TakeInto(taken, maxSegments: 64, maxBytes: 100_000, out _));
        queue.TryEnqueue(new byte[10], limit);
        queue.Clear();
        Assert.Equal(0, queue.RingCapacity);
    }

    [Fact]
    public void Shares_the_callers_bytes_without_copying()
    {
        var queue = new OutboundQueue();
        const long limit = 100;
        byte[] shared = [1, 2, 3];
        queue.TryEnqueue(shared, limit);
        var taken = new List<ArraySegment<byte>>();

        queue.TakeInto(taken, maxSegments: 1, maxBytes: 100, out _);

        Assert.Same(shared, taken[0].Array);
    }

    [Fact]
    public void Taken_bytes_count_against_the_limit_until_released()
    {
        var queue = new OutboundQueue();
        const long limit = 10;
        queue.TryEnqueue(new byte[8], limit);
        queue.TakeInto([], maxSegments: 4, maxBytes: 100, out _);

        Assert.False(queue.TryEnqueue(new byte[4], limit)); // 8 in flight + 4 > 10
        queue.Release(8);
        Assert.True(queue.TryEnqueue(new byte[4], limit));
    }

    [Fact]
    public void Take_stops_at_the_byte_budget_but_always_takes_one()
    {
        var queue = new OutboundQueue();
        const long limit = 1000;
        queue.TryEnqueue(new byte[300], limit);
        queue.TryEnqueue(new byte[300], limit);
        queue.TryEnqueue(new byte[300], limit);
        Assert.Equal(1, queue.TakeInto([], maxSegments: 8, maxBytes: 100, out _));
        Assert.Equal(1, queue.TakeInto([], maxSegments: 8, maxBytes: 500, out _));
        Assert.Equal(1, queue.TakeInto([], maxSegments: 8, maxBytes: 600, out _));
    }

    [Fact]
    public void The_closing_ERROR_line_goes_in_even_when_full_and_Clear_empties_everything()
    {
        var queue = new OutboundQueue();
        const long limit = 4;
        queue.TryEnqueue(new byte[4], limit);
        queue.EnqueueUnbounded(new byte[20]);
        Assert.Equal(24, queue.Bytes);

        queue.Clear();

        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.Bytes);
        Assert.Equal(0, queue.TakeInto([], maxSegments: 4, maxBytes: 100, out _));
    }
}
