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

    /// <summary>Client indexes in <paramref name="room"/>.</summary>
    public IEnumerable<int> Members(int room)
    {
        int first = room * RoomSize;
        int end = Math.Min(first + RoomSize, Clients);
        for (int i = first; i < end; i++)
            yield return i;
    }
}
