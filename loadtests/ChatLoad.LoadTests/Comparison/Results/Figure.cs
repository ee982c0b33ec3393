namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// One figure the comparison shows per point (chart, table column, CSV column): how to read it from a run and how
/// to label it. One list drives every output, so the charts, the table and the CSV can never disagree.
/// </summary>
public sealed record Figure(string Key, string Title, string Unit, Func<RungFigures, double?> Read, bool LowerIsBetter, string Column)
{
    /// <summary>How a sentence names the figure after a number: "threads", "KB RSS per client".</summary>
    public string ShortName => Key switch
    {
        "server_threads" => "threads",
        "rss_per_client_kb" => "KB RSS per client",
        "cpu_per_delivery_us" => "µs of server CPU per delivery",
        _ => Title,
    };

    /// <summary>Axis title: "p99 latency (ms)", or the title alone when the unit would only repeat it.</summary>
    public string AxisTitle(string? unit = null) => (unit ?? Unit) is { Length: > 0 } u ? $"{Title} ({u})" : Title;

    public static readonly Figure Throughput = new("throughput", "Throughput", "per s", f => f.Throughput, LowerIsBetter: false, Column: "Throughput");
    public static readonly Figure P50 = new("p50_ms", "p50 latency", "ms", f => f.P50Ms, LowerIsBetter: true, Column: "p50 (ms)");
    public static readonly Figure P99 = new("p99_ms", "p99 latency", "ms", f => f.P99Ms, LowerIsBetter: true, Column: "p99 (ms)");
    public static readonly Figure Max = new("max_ms", "max latency", "ms", f => f.MaxMs, LowerIsBetter: true, Column: "max (ms)");
    public static readonly Figure Loss = new("loss_pct", "Message loss", "%", f => f.LossPercent, LowerIsBetter: true, Column: "Loss (%)");
    public static readonly Figure Failures = new("fail_pct", "Failed iterations", "%", f => f.FailPercent, LowerIsBetter: true, Column: "Failed (%)");
    public static readonly Figure Threads = new("server_threads", "Server OS threads", "", f => f.ServerThreads, LowerIsBetter: true, Column: "Threads");
    public static readonly Figure Rss = new("server_rss_mb", "Server RSS", "MB", f => f.ServerRssMb, LowerIsBetter: true, Column: "RSS (MB)");
    public static readonly Figure RssPerClient = new("rss_per_client_kb", "Server RSS per client", "KB", f => f.RssPerClientKb, LowerIsBetter: true, Column: "RSS/client (KB)");
    public static readonly Figure Cpu = new("server_cpu_pct", "Server CPU", "% of a core", f => f.ServerCpuPercent, LowerIsBetter: true, Column: "CPU (% of a core)");
    public static readonly Figure CpuPerDelivery = new("cpu_per_delivery_us", "Server CPU per delivery", "µs", f => f.CpuPerDeliveryUs, LowerIsBetter: true, Column: "CPU/delivery (µs)");
    public static readonly Figure GeneratorCpu = new("generator_cpu_pct", "Generator CPU", "% of its core", f => f.GeneratorCpuPercent, LowerIsBetter: true, Column: "Generator CPU (%)");

    public static readonly IReadOnlyList<Figure> All = [Throughput, P50, P99, Max, Loss, Failures, Threads, Rss, RssPerClient, Cpu, CpuPerDelivery, GeneratorCpu];
}

/// <summary>Median and range of one figure over a point's repeats (only repeats that produced it).</summary>
public sealed record Spread(double Median, double Min, double Max, int Count)
{
    public static Spread? Of(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v) && !double.IsInfinity(v)).OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return null;
        int mid = sorted.Length / 2;
        double median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new Spread(median, sorted[0], sorted[^1], sorted.Length);
    }

    public bool HasRange => Count > 1 && Max > Min;
}
