using System.Net;

namespace ChatLoad.LoadClient;

/// <summary>
/// Which local address each client binds. Linux gives each (source address, destination) pair its own ephemeral
/// port range (32768-60999 here: ~28k ports), so one generator past that many connections to one server needs
/// several source addresses; all of 127.0.0.0/8 is loopback, so clients spread over 127.0.0.1, .2, .3 ...
/// </summary>
public sealed class SourceAddressPlan
{
    /// <summary>Clients per source address before the next one is used. Default 25,000: under the ~28k ephemeral
    /// ports, leaving room for ports still in TIME_WAIT from a previous run.</summary>
    public const int DefaultClientsPerAddress = 25_000;

    private readonly IPAddress[] _addresses;

    private SourceAddressPlan(IPAddress[] addresses) => _addresses = addresses;

    /// <summary>No binding: the kernel picks the source address (one address, fine below ~28k clients).</summary>
    public static SourceAddressPlan KernelChoice { get; } = new([]);

    /// <summary>Source addresses used (0: the kernel chooses).</summary>
    public int AddressCount => _addresses.Length;

    /// <summary>
    /// <paramref name="count"/> addresses 127.0.0.1..127.0.0.count for a loopback server; 0 means "as many as
    /// <paramref name="clients"/> needs" (none below <see cref="DefaultClientsPerAddress"/>).
    /// </summary>
    public static SourceAddressPlan For(IPEndPoint server, int clients, int count)
    {
        if (count < 0 || count > 254)
            throw new ArgumentOutOfRangeException(nameof(count), count, "source-ips must be 0 (auto) .. 254");
        if (count == 0)
            count = clients <= DefaultClientsPerAddress ? 1 : (clients + DefaultClientsPerAddress - 1) / DefaultClientsPerAddress;
        if (count == 1)
            return KernelChoice;
        if (!IPAddress.IsLoopback(server.Address) || server.Address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            throw new ArgumentException($"spreading clients over {count} source addresses needs an IPv4 loopback target, not {server.Address}");
        var addresses = new IPAddress[count];
        for (int i = 0; i < count; i++)
            addresses[i] = new IPAddress(new byte[] { 127, 0, 0, (byte)(i + 1) });
        return new SourceAddressPlan(addresses);
    }

    /// <summary>Exactly these addresses, in turn (a cluster agent's <c>--source-ip</c>); none = the kernel's choice.</summary>
    public static SourceAddressPlan Of(IReadOnlyList<IPAddress> addresses) => addresses.Count == 0 ? KernelChoice : new(addresses.ToArray());

    /// <summary>The address client <paramref name="index"/> binds, or null for the kernel's choice. Round-robin, so
    /// every address carries an even share whatever the client count.</summary>
    public IPAddress? For(int index) => _addresses.Length == 0 ? null : _addresses[index % _addresses.Length];
}
