namespace ChatLoad.LoadTests.Scenarios;

/// <summary>
/// Puts clients into rooms of a fixed size, in index order: clients 0..K-1 in the first room, K..2K-1 in the next.
/// The last room takes the remainder. Channel names carry the run's prefix so runs sharing a server never meet.
/// </summary>
internal sealed class RoomLayout
{
    private readonly string[] _channels;

    public RoomLayout(string runPrefix, int clients, int roomSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(roomSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        RoomSize = roomSize;
        Clients = clients;
        int rooms = (clients + roomSize - 1) / roomSize;
        _channels = new string[rooms];
        for (int r = 0; r < rooms; r++)
            _channels[r] = $"#{runPrefix}-{r}";
    }

    public int RoomSize { get; }
    public int Clients { get; }
    public int RoomCount => _channels.Length;

    public int RoomOf(int client) => client / RoomSize;

    public string ChannelOf(int client) => _channels[RoomOf(client)];

    public string Channel(int room) => _channels[room];

    /// <summary>
    /// The order senders take turns in: one member of every room, then the next member of every room, and so on.
    /// Taking turns in index order would send a room's messages back to back (all of room 0's members, then all of
    /// room 1's), so each room would get its share of the rate in one burst and sit silent the rest of the cycle:
    /// a burst lets a server gather many lines per recipient into one write, which flatters coalescing and is not
    /// the even load the rate describes. Interleaved, each room's messages are spread evenly over time.
    /// </summary>
    public IEnumerable<T> InSendingOrder<T>(IEnumerable<T> clients, Func<T, int> clientIndex) =>
        clients.OrderBy(c => clientIndex(c) - RoomOf(clientIndex(c)) * RoomSize).ThenBy(c => RoomOf(clientIndex(c)));

    /// <summary>Client indexes in <paramref name="room"/>.</summary>
    public IEnumerable<int> Members(int room)
    {
        int first = room * RoomSize;
        int end = Math.Min(first + RoomSize, Clients);
        for (int i = first; i < end; i++)
            yield return i;
    }
}
