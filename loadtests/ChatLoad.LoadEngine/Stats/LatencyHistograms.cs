using HdrHistogram;
using HdrHistogram.Utilities;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Stats;

/// <summary>
/// The one histogram shape every latency in the engine uses (values in microseconds), and the conversions between
/// histograms, their compressed base64 form (for JSON and shard merging) and <see cref="LatencyResult"/>.
/// </summary>
internal static class LatencyHistograms
{
    /// <summary>Largest latency recorded: one hour in microseconds. Longer values are clamped to it, so one hung
    /// iteration cannot throw from the recording path; an hour is far beyond any timeout a scenario uses.</summary>
    public const long HighestTrackableMicros = 3_600_000_000;

    /// <summary>Three significant digits: 0.1% value error, the precision HdrHistogram users normally pick.</summary>
    public const int SignificantDigits = 3;

    /// <summary>Percentiles listed in the distribution (chart) beside HdrHistogram's own halving steps.</summary>
    private const int PercentileTicksPerHalfDistance = 5;

    public static LongHistogram Create() => new(1, HighestTrackableMicros, SignificantDigits);

    /// <summary>A recorder whose histograms take concurrent writers (the phaser alone allows only one writer at a
    /// time per histogram without interlocked counts).</summary>
    public static Recorder CreateRecorder() =>
        new(1, HighestTrackableMicros, SignificantDigits,
            (id, lowest, highest, digits) => new LongConcurrentHistogram(id, lowest, highest, digits));

    public static long ClampMicros(long micros) =>
        micros < 0 ? 0 : micros > HighestTrackableMicros ? HighestTrackableMicros : micros;

    public static string Encode(HistogramBase histogram)
    {
        var buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        int length = histogram.EncodeIntoCompressedByteBuffer(buffer);
        var bytes = new byte[length];
        buffer.Position = 0;
        for (int i = 0; i < length; i++) bytes[i] = buffer.Get();
        return Convert.ToBase64String(bytes);
    }

    /// <summary>Decodes a histogram written by <see cref="Encode"/>; a bad string is a clear error.</summary>
    public static HistogramBase Decode(string base64)
    {
        try
        {
            var bytes = Convert.FromBase64String(base64);
            return HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(bytes), 0);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or IOException)
        {
            throw new FormatException($"not a compressed HdrHistogram in base64 ({ex.Message})", ex);
        }
    }

    /// <summary>Adds a decoded histogram into <paramref name="target"/> (decoded ones may carry a different range).</summary>
    public static void AddDecoded(LongHistogram target, string? base64)
    {
        if (string.IsNullOrEmpty(base64)) return;
        var decoded = Decode(base64);
        foreach (var value in decoded.RecordedValues())
            target.RecordValueWithCount(ClampMicros(value.ValueIteratedTo), value.CountAtValueIteratedTo);
    }

    public static double ToMs(long micros) => micros / 1000.0;

    /// <summary>The summary every report shows, plus the raw histogram and a percentile distribution.</summary>
    public static LatencyResult Summarize(string name, HistogramBase histogram, bool includeRaw = true)
    {
        long count = histogram.TotalCount;
        if (count == 0) return new LatencyResult { Name = name, HistogramBase64 = includeRaw ? Encode(histogram) : null };

        return new LatencyResult
        {
            Name = name,
            Count = count,
            MinMs = ToMs(MinValue(histogram)),
            MeanMs = histogram.GetMean() / 1000.0,
            MaxMs = ToMs(histogram.GetMaxValue()),
            StdDevMs = histogram.GetStdDeviation() / 1000.0,
            P50Ms = ToMs(histogram.GetValueAtPercentile(50)),
            P75Ms = ToMs(histogram.GetValueAtPercentile(75)),
            P95Ms = ToMs(histogram.GetValueAtPercentile(95)),
            P99Ms = ToMs(histogram.GetValueAtPercentile(99)),
            P999Ms = ToMs(histogram.GetValueAtPercentile(99.9)),
            HistogramBase64 = includeRaw ? Encode(histogram) : null,
            Distribution = Distribution(histogram),
        };
    }

    /// <summary>HdrHistogram's min is the lowest equivalent value of the first non-empty bucket.</summary>
    public static long MinValue(HistogramBase histogram)
    {
        foreach (var value in histogram.RecordedValues())
            return histogram.LowestEquivalentValue(value.ValueIteratedTo);
        return 0;
    }

    private static IReadOnlyList<PercentilePoint> Distribution(HistogramBase histogram)
    {
        var points = new List<PercentilePoint>();
        foreach (var value in histogram.Percentiles(PercentileTicksPerHalfDistance))
        {
            var point = new PercentilePoint(Math.Round(value.PercentileLevelIteratedTo, 4), ToMs(value.ValueIteratedTo));
            // The iterator repeats the final level; one point per percentile is enough for a chart.
            if (points.Count > 0 && points[^1].Percentile >= point.Percentile) continue;
            points.Add(point);
            if (value.PercentileLevelIteratedTo >= 100) break;
        }
        return points;
    }
}
