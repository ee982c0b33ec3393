using ChatLoad.LoadEngine.Stats;

namespace ChatLoad.LoadEngine.Tests.Stats;

public class LatencyRecorderTests
{
    [Fact]
    public void Intervals_add_up_to_the_total_and_reset_forgets_everything_before()
    {
        var recorder = new LatencyRecorder("r");
        recorder.RecordMicros(5_000);
        recorder.RecordMicros(6_000);
        recorder.Reset();

        recorder.RecordMicros(1_000);
        var first = recorder.TakeInterval(encode: true);
        recorder.RecordMicros(2_000);
        recorder.RecordMicros(3_000);
        var second = recorder.TakeInterval(encode: false);
        var empty = recorder.TakeInterval(encode: true);

        Assert.Equal(1, first.Count);
        Assert.NotNull(first.HistogramBase64);
        Assert.Equal(2, second.Count);
        Assert.InRange(second.MaxMicros, 3_000, 3_003);
        Assert.Equal(default, empty);
        var total = recorder.SnapshotTotal();
        Assert.Equal(3, total.TotalCount);
        Assert.InRange(LatencyHistograms.MinValue(total), 999, 1_000);
    }

    [Fact]
    public void Values_beyond_the_range_are_clamped_not_thrown()
    {
        var recorder = new LatencyRecorder("r");
        recorder.RecordMicros(-5);
        recorder.RecordMicros(long.MaxValue);
        recorder.TakeInterval(encode: false);
        var summary = LatencyHistograms.Summarize("r", recorder.SnapshotTotal());
        Assert.Equal(2, summary.Count);
        Assert.Equal(0, summary.MinMs);
        Assert.InRange(summary.MaxMs, 3_600_000, 3_700_000);
    }

    [Fact]
    public void Encoded_histograms_decode_to_the_same_counts()
    {
        var histogram = LatencyHistograms.Create();
        for (int i = 1; i <= 10_000; i++) histogram.RecordValue(i);
        var copy = LatencyHistograms.Create();
        LatencyHistograms.AddDecoded(copy, LatencyHistograms.Encode(histogram));
        Assert.Equal(histogram.TotalCount, copy.TotalCount);
        Assert.Equal(histogram.GetValueAtPercentile(99), copy.GetValueAtPercentile(99));
        Assert.Throws<FormatException>(() => LatencyHistograms.Decode("not base64!"));
    }
}
