using ChatLoad.LoadEngine.Cluster.Protocol;

namespace ChatLoad.LoadEngine.Cluster.Coordinator;

/// <summary>The agents a run will use, and those that answered but were refused, with the reason.</summary>
internal sealed record AssembledAgents(IReadOnlyList<AgentHello> Chosen, IReadOnlyList<string> Refused);

/// <summary>
/// Gathers the agents for a run: asks who is there (and asks again every second, while also listening for agents
/// that start meanwhile), refuses any of a different protocol or engine build with both versions named, skips busy
/// ones, and returns as soon as enough compatible idle agents answered — bounded by <c>--agent-wait</c>.
/// </summary>
internal static class AgentRollCall
{
    private static readonly TimeSpan AskEvery = TimeSpan.FromSeconds(1);

    /// <summary>Why <paramref name="hello"/> cannot take part, or null when it can.</summary>
    public static string? Refusal(AgentHello hello, long coordinatorFrequency)
    {
        if (ClusterProtocol.Incompatibility(hello.Protocol, hello.EngineVersion, $"agent {hello.Name}") is { } problem) return problem;
        if (!ClusterProtocol.IsValidName(hello.Name)) return $"agent '{hello.Name}': not a valid agent name";
        if (hello.TimestampFrequency != coordinatorFrequency)
            return $"agent {hello.Name}: its clock ticks {hello.TimestampFrequency:N0} times a second, the coordinator's {coordinatorFrequency:N0}: " +
                   "run agents and coordinator on the same operating system";
        return null;
    }

    /// <summary>Picks <paramref name="count"/> of the compatible idle agents by name, taking at least one of each
    /// group in <paramref name="groups"/> first. Null when there are not enough yet.</summary>
    public static IReadOnlyList<AgentHello>? Choose(IEnumerable<AgentHello> ready, int count, IReadOnlyCollection<string> groups)
    {
        var sorted = ready.OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        if (sorted.Count < count) return null;
        var chosen = new List<AgentHello>();
        foreach (var group in groups)
        {
            var member = sorted.FirstOrDefault(h => h.Group == group && !chosen.Contains(h));
            if (member is null) return null;
            chosen.Add(member);
        }
        foreach (var hello in sorted)
        {
            if (chosen.Count >= count) break;
            if (!chosen.Contains(hello)) chosen.Add(hello);
        }
        return chosen.Count == count ? chosen.OrderBy(h => h.Name, StringComparer.Ordinal).ToList() : null;
    }

    public static async Task<AssembledAgents> AssembleAsync(ClusterConnection nats, int count, IReadOnlyCollection<string> groups, TimeSpan wait,
        TextWriter log, TimeProvider time, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, AgentHello>(StringComparer.Ordinal);
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        var busyShown = new HashSet<string>(StringComparer.Ordinal);
        var enough = new TaskCompletionSource<IReadOnlyList<AgentHello>>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string inbox = nats.NewInbox();

        void Consider(byte[]? data)
        {
            AgentHello hello;
            try
            {
                hello = ClusterJson.Read<AgentHello>(data ?? []);
            }
            catch (ClusterProtocolException ex)
            {
                lock (seen)
                    if (refused.TryAdd("(unreadable)", $"an agent sent a hello this build cannot read ({ex.Message}): run the same ChatLoad build on both"))
                        log.WriteLine($"cluster: refused an agent: {refused["(unreadable)"]}");
                return;
            }
            lock (seen)
            {
                if (Refusal(hello, time.TimestampFrequency) is { } why)
                {
                    if (refused.TryAdd(hello.Name, why)) log.WriteLine($"cluster: refused {why}");
                    return;
                }
                bool first = !seen.ContainsKey(hello.Name);
                seen[hello.Name] = hello;
                if (first)
                    log.WriteLine($"cluster: agent {hello.Name} on {hello.Machine}: {hello.Capacity.Cores} cores, up to {hello.Capacity.MaxClients:N0} clients" +
                                  (hello.Group.Length > 0 ? $", group {hello.Group}" : "") +
                                  (hello.BuildId != ClusterProtocol.BuildId ? $" (build {hello.BuildId}, this one {ClusterProtocol.BuildId})" : ""));
                if (hello.BusyWith is { } run && busyShown.Add(hello.Name)) log.WriteLine($"cluster: agent {hello.Name} is busy with run {run}; waiting for it");
                var idle = seen.Values.Where(h => h.BusyWith is null).ToList();
                if (Choose(idle, count, groups) is { } chosen) enough.TrySetResult(chosen);
            }
        }

        async Task ListenAsync(NATS.Client.Core.INatsSub<byte[]> subscription)
        {
            await using (subscription)
            {
                try
                {
                    await foreach (var message in subscription.Msgs.ReadAllAsync(listening.Token).ConfigureAwait(false)) Consider(message.Data);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        var listeners = new[]
        {
            ListenAsync(await nats.ListenAsync(inbox, cancellationToken).ConfigureAwait(false)),
            ListenAsync(await nats.ListenAsync(ClusterProtocol.Hello, cancellationToken).ConfigureAwait(false)),
        };
        long started = time.GetTimestamp();
        try
        {
            while (!enough.Task.IsCompleted)
            {
                var left = wait - time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero) break;
                await nats.PublishAsync(ClusterProtocol.Discover, new Ack(true), inbox, cancellationToken).ConfigureAwait(false);
                await Task.WhenAny(enough.Task, Task.Delay(left < AskEvery ? left : AskEvery, time, cancellationToken)).ConfigureAwait(false);
            }
        }
        finally
        {
            listening.Cancel();
            await Task.WhenAll(listeners).ConfigureAwait(false);
        }
        lock (seen)
        {
            if (enough.Task.IsCompletedSuccessfully) return new AssembledAgents(enough.Task.Result, refused.Values.ToList());
            int idle = seen.Values.Count(h => h.BusyWith is null);
            var missing = groups.Where(g => seen.Values.All(h => h.Group != g)).ToList();
            throw new ClusterUnavailableException(
                $"{idle} of {count} agents ready within {wait.TotalSeconds:0.#} s on {nats.Url}" +
                (seen.Count > idle ? $" ({seen.Count - idle} busy)" : "") +
                (missing.Count > 0 ? $"; none of group {string.Join(", ", missing)}" : "") +
                (refused.Count > 0 ? $"; {refused.Count} refused: {string.Join("; ", refused.Values)}" : "") +
                "; start agents with: loadtest.sh agent --nats " + nats.Url);
        }
    }
}
