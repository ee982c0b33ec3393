using System.Net;
using ChatLoad.Server.Chat.Limits;

namespace ChatLoad.Server.Transports.Admission;

/// <summary>What the per-address limits allow, from ServerOptions (where each default and reason is documented).</summary>
/// <param name="MaxConnections">Connections one source address may hold at once; 0 = unlimited.</param>
/// <param name="Connects">New connections one source address may open: a burst, then one per interval (Burst 0 = unlimited).</param>
/// <param name="Exempt">Source networks to which neither limit applies.</param>
internal sealed record AddressLimitSettings(int MaxConnections, RateSettings Connects, IReadOnlyList<IPNetwork> Exempt)
{
    /// <summary>No per-address limit at all (unit tests of the global limit).</summary>
    public static AddressLimitSettings None(TimeProvider time) => new(0, RateSettings.Create(0, TimeSpan.FromSeconds(1), time), []);

    public bool IsOff => MaxConnections == 0 && Connects.Burst == 0;

    /// <summary>Parses a comma-separated CIDR list ("127.0.0.0/8, 10.1.2.3"); a bare address is a /32 (or /128).</summary>
    public static bool TryParseNetworks(string? text, out IReadOnlyList<IPNetwork> networks, out string? problem)
    {
        var parsed = new List<IPNetwork>();
        networks = parsed;
        problem = null;
        foreach (string part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(part, out IPNetwork network))
                parsed.Add(network);
            else if (IPAddress.TryParse(part, out IPAddress? address))
                parsed.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            else
            {
                problem = $"'{part}' is not a network such as 127.0.0.0/8 or an address";
                return false;
            }
        }
        return true;
    }
}

/// <summary>
/// Per source address: how many connections it holds (at most <see cref="AddressLimitSettings.MaxConnections"/>) and
/// how fast it opens new ones (a token bucket). Without them one address could hold every slot of the server and
/// re-take each as the registration timeout frees it, keeping every other client out (issue 8's probe).
/// </summary>
/// <remarks>
/// One lock around one dictionary: admission runs once per connect and once per close, never per line. An entry
/// lives while its address holds a connection or its bucket is still refilling; idle ones are swept at most once per
/// <see cref="SweepInterval"/>, so the table is bounded by the addresses seen in the last refill window.
/// </remarks>
internal sealed class AddressLimits(AddressLimitSettings settings, TimeProvider time)
{
    private readonly Dictionary<IPAddress, AddressState> _addresses = new();
    // An array, walked with an index: asked on every accept and every close, where enumerating the settings' list
    // through its interface allocated an enumerator and dispatched each call through a stub (1.3% of the server's
    // CPU in a connect storm of exempt load clients, perf).
    private readonly IPNetwork[] _exempt = [.. settings.Exempt];
    private readonly long _refillTicks = settings.Connects.Burst == 0 ? 0 : settings.Connects.Interval * settings.Connects.Burst;
    private long _lastSweep = time.GetTimestamp();

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    /// <summary>Addresses tracked now (for tests and the bound above).</summary>
    public int TrackedAddresses
    {
        get
        {
            lock (_addresses)
                return _addresses.Count;
        }
    }

    /// <summary>Counts one new connection from <paramref name="remote"/>, or says which limit refuses it.</summary>
    public AddressVerdict TryOpen(EndPoint? remote, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (settings.IsOff || KeyOf(remote) is not { } address || IsExempt(address))
            return AddressVerdict.Admitted;
        long now = time.GetTimestamp();
        lock (_addresses)
        {
            SweepIfDue(now);
            if (!_addresses.TryGetValue(address, out AddressState? state))
                _addresses[address] = state = new AddressState(settings.Connects);
            if (settings.MaxConnections > 0 && state.Open >= settings.MaxConnections)
                return AddressVerdict.TooManyConnections;
            if (!state.Connects.TryTake(now, out retryAfter))
                return AddressVerdict.ConnectingTooFast;
            state.Open++;
            state.LastConnect = now;
            return AddressVerdict.Admitted;
        }
    }

    /// <summary>A connection that <see cref="TryOpen"/> admitted has ended.</summary>
    public void Close(EndPoint? remote)
    {
        if (settings.IsOff || KeyOf(remote) is not { } address || IsExempt(address))
            return;
        lock (_addresses)
        {
            if (_addresses.TryGetValue(address, out AddressState? state) && state.Open > 0)
                state.Open--;
        }
    }

    private bool IsExempt(IPAddress address)
    {
        IPNetwork[] exempt = _exempt;
        for (int i = 0; i < exempt.Length; i++)
        {
            if (exempt[i].Contains(address))
                return true;
        }
        return false;
    }

    private static IPAddress? KeyOf(EndPoint? remote) => remote is IPEndPoint ip
        ? ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address
        : null;

    private void SweepIfDue(long now)
    {
        if (time.GetElapsedTime(_lastSweep, now) < SweepInterval)
            return;
        _lastSweep = now;
        foreach ((IPAddress address, AddressState state) in _addresses)
        {
            // Nothing open and the bucket full again: forgetting the address changes nothing.
            if (state.Open == 0 && now - state.LastConnect >= _refillTicks)
                _addresses.Remove(address);
        }
    }

    private sealed class AddressState(RateSettings connects)
    {
        public int Open;
        public long LastConnect;
        public TokenBucket Connects = new(connects);
    }
}

/// <summary>What <see cref="AddressLimits.TryOpen"/> decided.</summary>
internal enum AddressVerdict
{
    Admitted,
    TooManyConnections,
    ConnectingTooFast,
}
