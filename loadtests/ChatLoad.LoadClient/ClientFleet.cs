using System.Collections.Concurrent;

namespace ChatLoad.LoadClient;

/// <summary>How fast a fleet opens its connections. Both bounds keep a connect ramp from becoming a SYN flood that
/// overflows the server's accept backlog and measures the kernel instead of the server.</summary>
public sealed record ConnectPacing
{
    /// <summary>New connections started per second. Default 1,000/s: 10,000 clients ready in 10 s, under the accept
    /// rate either server model reaches on this machine.</summary>
    public double RatePerSecond { get; init; } = 1000;

    /// <summary>Connections being set up (connect + register + join) at once. Default 256.</summary>
    public int MaxInFlight { get; init; } = 256;
}

/// <summary>
/// A scenario's set of long-lived clients: opened at a bounded rate in init, closed with QUIT in clean. A client
/// that fails to set up is a result (counted by reason), not an exception: the run goes on with the rest.
/// </summary>
public sealed class ClientFleet
{
    /// <summary>Most clients quitting at once in <see cref="QuitAllAsync(TimeSpan)"/>. Default 512: enough to close 15k
    /// clients in seconds without a burst of 15k concurrent QUITs.</summary>
    public const int QuitConcurrency = 512;

    private readonly IrcLoadClient?[] _clients;
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private readonly ConcurrentQueue<string> _failureSamples = new();

    private ClientFleet(int count) => _clients = new IrcLoadClient?[count];

    /// <summary>Client by index; null where it failed to set up.</summary>
    public IReadOnlyList<IrcLoadClient?> Clients => _clients;

    /// <summary>The clients that set up fine, in index order.</summary>
    public IReadOnlyList<IrcLoadClient> Ready { get; private set; } = [];

    /// <summary>Failed setups by status ("refused", "timeout", "server full" ...).</summary>
    public IReadOnlyDictionary<string, int> Failures => _failures;

    /// <summary>A few failure messages, for the report's notes.</summary>
    public IEnumerable<string> FailureSamples => _failureSamples;

    /// <summary>Clients that failed to set up.</summary>
    public int FailureCount => _failures.Values.Sum();

    /// <summary>
    /// Creates <paramref name="count"/> clients with <paramref name="create"/> and runs <paramref name="setup"/>
    /// (connect, register, join ...) for each, paced by <paramref name="pacing"/>. Every setup is bounded by the
    /// clients' own timeouts, so this returns in about count / rate seconds plus one timeout.
    /// </summary>
    public static async Task<ClientFleet> OpenAsync(
        int count,
        Func<int, IrcLoadClient> create,
        Func<IrcLoadClient, CancellationToken, Task> setup,
        ConnectPacing pacing,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var fleet = new ClientFleet(count);
        using var inFlight = new SemaphoreSlim(pacing.MaxInFlight, pacing.MaxInFlight);
        var tasks = new List<Task>(count);
        long start = time.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var due = TimeSpan.FromSeconds(i / pacing.RatePerSecond) - time.GetElapsedTime(start);
            if (due > TimeSpan.FromMilliseconds(1))
                await Task.Delay(due, time, cancellationToken);
            await inFlight.WaitAsync(cancellationToken);
            tasks.Add(fleet.SetUpOneAsync(i, create, setup, inFlight, cancellationToken));
        }
        await Task.WhenAll(tasks);
        fleet.Ready = fleet._clients.Where(c => c is not null).Select(c => c!).ToArray();
        return fleet;
    }

    private async Task SetUpOneAsync(int index, Func<int, IrcLoadClient> create, Func<IrcLoadClient, CancellationToken, Task> setup,
        SemaphoreSlim inFlight, CancellationToken cancellationToken)
    {
        IrcLoadClient? client = null;
        try
        {
            client = create(index);
            await setup(client, cancellationToken);
            _clients[index] = client;
        }
        catch (Exception e)
        {
            string status = FailureReasons.Classify(e);
            _failures.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (_failureSamples.Count < 5)
                _failureSamples.Enqueue($"{status}: {e.Message}");
            if (client is not null)
                await client.DisposeAsync();
        }
        finally
        {
            inFlight.Release();
        }
    }

    /// <summary>Clients whose connection ended without this side closing it.</summary>
    public int CountDroppedByServer() => Ready.Count(c => c.CloseStatus is not null && !c.ClosedByClient);

    /// <summary>QUITs every client (bounded per client by its quit timeout and overall by <paramref name="budget"/>),
    /// then closes whatever is left.</summary>
    public Task QuitAllAsync(TimeSpan budget) => QuitAllAsync(Ready, budget);

    /// <summary>QUITs <paramref name="clients"/> at most <see cref="QuitConcurrency"/> at a time within
    /// <paramref name="budget"/>, then closes whatever is left. Never throws.</summary>
    public static async Task QuitAllAsync(IEnumerable<IrcLoadClient> clients, TimeSpan budget)
    {
        var list = clients.ToList();
        using var deadline = new CancellationTokenSource(budget);
        try
        {
            await Parallel.ForEachAsync(list, new ParallelOptions { MaxDegreeOfParallelism = QuitConcurrency, CancellationToken = deadline.Token },
                async (client, _) => await client.QuitAsync());
        }
        catch (OperationCanceledException)
        {
            // out of time: the rest are closed below without waiting for the server
        }
        foreach (var client in list)
            await client.DisposeAsync();
    }
}
