using System.Collections.Concurrent;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Stats;

/// <summary>Counts responses by status code, ok and error apart; keeps the first message seen for each code.</summary>
internal sealed class StatusCounters
{
    private sealed class Entry
    {
        public long Count;
        public string? SampleMessage;
    }

    private readonly ConcurrentDictionary<string, Entry> _ok = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> _errors = new(StringComparer.Ordinal);

    /// <summary>Allocation-free once a code has been seen: a dictionary lookup and an interlocked increment.</summary>
    public void Add(in Response response)
    {
        var table = response.IsError ? _errors : _ok;
        var code = response.StatusCode ?? (response.IsError ? "fail" : "ok");
        if (!table.TryGetValue(code, out var entry))
            entry = table.GetOrAdd(code, static _ => new Entry());
        Interlocked.Increment(ref entry.Count);
        if (response.Message is not null && entry.SampleMessage is null)
            Interlocked.CompareExchange(ref entry.SampleMessage, response.Message, null);
    }

    public IReadOnlyList<StatusCount> Snapshot() =>
        _ok.Select(kv => new StatusCount(kv.Key, false, Volatile.Read(ref kv.Value.Count), kv.Value.SampleMessage))
            .Concat(_errors.Select(kv => new StatusCount(kv.Key, true, Volatile.Read(ref kv.Value.Count), kv.Value.SampleMessage)))
            .OrderBy(s => s.IsError).ThenByDescending(s => s.Count).ThenBy(s => s.StatusCode, StringComparer.Ordinal)
            .ToList();
}
