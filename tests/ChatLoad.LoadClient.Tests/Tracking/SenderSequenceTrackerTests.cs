using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadClient.Tests.Tracking;

public sealed class SenderSequenceTrackerTests
{
    [Fact]
    public void Consecutive_numbers_are_in_order()
    {
        var tracker = new SenderSequenceTracker();
        for (long s = 0; s < 5; s++)
            Assert.Equal(DeliveryVerdict.InOrder, tracker.Observe(1, s));
        Assert.Equal(5, tracker.Accepted);
    }

    [Fact]
    public void A_skipped_number_arriving_later_is_out_of_order_once_then_a_duplicate()
    {
        var tracker = new SenderSequenceTracker();
        Assert.Equal(DeliveryVerdict.InOrder, tracker.Observe(1, 0));
        Assert.Equal(DeliveryVerdict.InOrder, tracker.Observe(1, 2)); // 1 skipped
        Assert.Equal(DeliveryVerdict.OutOfOrder, tracker.Observe(1, 1));
        Assert.Equal(DeliveryVerdict.Duplicate, tracker.Observe(1, 1));
        Assert.Equal(3, tracker.Accepted);
    }

    [Fact]
    public void Repeats_of_the_latest_and_of_older_numbers_are_duplicates()
    {
        var tracker = new SenderSequenceTracker();
        tracker.Observe(1, 0);
        tracker.Observe(1, 1);
        Assert.Equal(DeliveryVerdict.Duplicate, tracker.Observe(1, 1));
        Assert.Equal(DeliveryVerdict.Duplicate, tracker.Observe(1, 0));
    }

    [Fact]
    public void Senders_are_tracked_apart()
    {
        var tracker = new SenderSequenceTracker();
        Assert.Equal(DeliveryVerdict.InOrder, tracker.Observe(1, 0));
        Assert.Equal(DeliveryVerdict.InOrder, tracker.Observe(2, 0));
        Assert.Equal(DeliveryVerdict.InOrder, tracker.Observe(2, 1));
        Assert.Equal(DeliveryVerdict.InOrder, tracker.Observe(1, 1));
    }

    [Fact]
    public void The_first_message_seen_late_counts_the_earlier_ones_as_missing()
    {
        var tracker = new SenderSequenceTracker();
        Assert.Equal(DeliveryVerdict.InOrder, tracker.Observe(1, 2));
        Assert.Equal(DeliveryVerdict.OutOfOrder, tracker.Observe(1, 0));
        Assert.Equal(DeliveryVerdict.OutOfOrder, tracker.Observe(1, 1));
    }

    [Fact]
    public void A_huge_gap_is_bounded_in_memory_and_its_forgotten_numbers_are_counted()
    {
        var tracker = new SenderSequenceTracker();
        tracker.Observe(1, 0);
        long jump = SenderSequenceTracker.MaxRememberedGaps + 100;
        tracker.Observe(1, jump + 1);
        Assert.Equal(100, tracker.ForgottenGaps);
        Assert.Equal(DeliveryVerdict.OutOfOrder, tracker.Observe(1, 1)); // remembered
        Assert.Equal(DeliveryVerdict.Duplicate, tracker.Observe(1, jump)); // forgotten: cannot tell, counted as repeat
    }

    [Fact]
    public void OnAccepted_fires_for_new_arrivals_only()
    {
        int calls = 0;
        var tracker = new SenderSequenceTracker { OnAccepted = _ => calls++ };
        tracker.Observe(1, 0);
        tracker.Observe(1, 0);
        tracker.Observe(1, 1);
        Assert.Equal(2, calls);
    }
}
