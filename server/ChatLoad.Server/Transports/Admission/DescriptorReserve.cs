namespace ChatLoad.Server.Transports.Admission;

/// <summary>
/// Spare file descriptors kept open (on /dev/null) for the moment the process runs out (EMFILE), which the connection
/// ceiling should prevent but must not be fatal when something else has taken the descriptors:
/// <list type="bullet">
/// <item>One <em>refusal</em> spare, so a listener out of descriptors can still tell a waiting client why: give it
/// back, accept the client, write <c>ERROR :Server out of file descriptors</c>, close it, take the spare again (the
/// trick of libev's and nginx's accept loops). Without it the client would sit in the accept queue, unanswered.</item>
/// <item><see cref="RuntimeSpares"/> more for the .NET runtime itself: it needs a descriptor to start a thread, and
/// when a thread-pool thread cannot start at EMFILE the runtime ends the process ("Out of memory.", exit 134 —
/// measured: the async server under a 256-descriptor limit died so within seconds). They are handed back when the
/// listener first meets EMFILE, and taken again only once that many are free once more.</item>
/// </list>
/// </summary>
internal sealed class DescriptorReserve : IDisposable
{
    /// <summary>Descriptors given back to the runtime at EMFILE: enough for a few threads to start at once.</summary>
    public const int RuntimeSpares = 8;

    /// <summary>
    /// The process's one reserve: descriptors are a process-wide budget, so whichever accept loop meets EMFILE first
    /// (IRC in either model, TLS, or the metrics endpoint) hands the runtime its spares, and every listener refuses
    /// until they can be taken back. Lives as long as the process (10 descriptors).
    /// </summary>
    public static DescriptorReserve Shared { get; } = new();

    private readonly Lock _gate = new();
    private readonly List<FileStream> _runtime = [];
    private FileStream? _refusal;

    public DescriptorReserve()
    {
        _refusal = TryOpen();
        TryTakeRuntimeSpares();
    }

    /// <summary>True while the runtime's spares are handed back (the process met EMFILE and has not recovered).</summary>
    public bool IsSpent
    {
        get
        {
            lock (_gate)
                return _runtime.Count < RuntimeSpares;
        }
    }

    /// <summary>The process met EMFILE: hand the runtime its spares now.</summary>
    public void GiveBackRuntimeSpares()
    {
        lock (_gate)
        {
            foreach (FileStream spare in _runtime)
                spare.Dispose();
            _runtime.Clear();
        }
    }

    /// <summary>
    /// Takes the runtime's spares again if that many descriptors, and one more, are free; true when held again. Leaves
    /// none held when they are not all free, so a half-recovered process keeps what it has for the runtime.
    /// </summary>
    public bool TryTakeRuntimeSpares()
    {
        lock (_gate)
        {
            if (_runtime.Count == RuntimeSpares)
                return true;
            while (_runtime.Count < RuntimeSpares && TryOpen() is { } spare)
                _runtime.Add(spare);
            using FileStream? oneMore = _runtime.Count == RuntimeSpares ? TryOpen() : null;
            if (oneMore is not null)
                return true;
            foreach (FileStream spare in _runtime)
                spare.Dispose();
            _runtime.Clear();
            return false;
        }
    }

    /// <summary>
    /// Runs <paramref name="withOneDescriptor"/> with the refusal spare given back to the process; false (and nothing
    /// run) when there is no spare (it could not be taken back last time).
    /// </summary>
    public bool TryUse(Action withOneDescriptor)
    {
        lock (_gate)
        {
            if (_refusal is null)
            {
                _refusal = TryOpen();
                return false;
            }
            _refusal.Dispose();
            _refusal = null;
            try
            {
                withOneDescriptor();
            }
            finally
            {
                _refusal = TryOpen();
            }
            return true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _refusal?.Dispose();
            _refusal = null;
            GiveBackRuntimeSpares();
        }
    }

    private static FileStream? TryOpen()
    {
        try
        {
            return new FileStream("/dev/null", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
