using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChatLoad.Server.Metrics;

/// <summary>
/// Process figures prometheus-net's DotNetStats does not give, as observable gauges on the
/// "ChatLoad.Server.Process" meter, read only when scraped: thread-pool threads and queue length, GC heap size,
/// and the OS thread count and RSS straight from /proc/self/status (the figures the threads-vs-async comparison
/// is about, so they come from the kernel rather than from a runtime estimate).
/// </summary>
internal sealed class ProcessGauges : IDisposable
{
    public const string MeterName = "ChatLoad.Server.Process";

    private readonly Meter _meter;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly CurrentProcess _process = new();

    public ProcessGauges(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableGauge("threadpool.threads", () => (long)ThreadPool.ThreadCount, description: "Thread-pool threads now");
        _meter.CreateObservableGauge("threadpool.queue_length", () => ThreadPool.PendingWorkItemCount, description: "Work items waiting for a thread-pool thread");
        _meter.CreateObservableGauge("gc.heap_bytes", () => GC.GetGCMemoryInfo().HeapSizeBytes, "By", "GC heap size after the last collection");
        _meter.CreateObservableGauge("gc.total_memory_bytes", () => GC.GetTotalMemory(forceFullCollection: false), "By", "Managed bytes in use now (GC.GetTotalMemory, garbage not yet collected included)");
        _meter.CreateObservableGauge("gc.allocated_bytes", () => GC.GetTotalAllocatedBytes(), "By", "Bytes allocated since start");
        _meter.CreateObservableGauge("os.threads", () => ProcStatus.Read("Threads:") ?? Environment.ProcessorCount, description: "OS threads of the process (/proc/self/status Threads)");
        _meter.CreateObservableGauge("rss_bytes", () => (ProcStatus.Read("VmRSS:") ?? 0) * 1024, "By", "Resident set size (/proc/self/status VmRSS)");
        // CPU time and uptime read in the same scrape: a scraper divides their deltas and gets CPU % timed by the
        // server itself, so a scrape that answers late cannot make the figure read above what the cores allow.
        _meter.CreateObservableGauge("cpu_seconds", () => _process.TotalCpuSeconds(), "s", "CPU time used by the process (user + system)");
        _meter.CreateObservableGauge("uptime_seconds", () => Stopwatch.GetElapsedTime(_started).TotalSeconds, "s", "Time since the process started its metrics");
    }

    /// <summary>CPU time used by the process (user + system), as the cpu_seconds gauge reads it.</summary>
    public double CpuSeconds() => _process.TotalCpuSeconds();

    public void Dispose()
    {
        _meter.Dispose();
        _process.Dispose();
    }

    /// <summary>This process, refreshed on each read (Process caches its figures).</summary>
    private sealed class CurrentProcess : IDisposable
    {
        private readonly Process _self = Process.GetCurrentProcess();

        public double TotalCpuSeconds()
        {
            lock (_self)
            {
                _self.Refresh();
                return _self.TotalProcessorTime.TotalSeconds;
            }
        }

        public void Dispose() => _self.Dispose();
    }
}

/// <summary>Reads one numeric field of /proc/self/status ("Threads:", "VmRSS:" in kB).</summary>
internal static class ProcStatus
{
    public static long? Read(string field, string path = "/proc/self/status")
    {
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                if (!line.StartsWith(field, StringComparison.Ordinal))
                    continue;
                string[] words = line[field.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return words.Length > 0 && long.TryParse(words[0], out long value) ? value : null;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
