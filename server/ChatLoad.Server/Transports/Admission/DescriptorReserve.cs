namespace ChatLoad.Server.Transports.Admission;

/// <summary>
/// One spare file descriptor kept open (on /dev/null) so that a listener out of descriptors (EMFILE) can still tell
/// a waiting client why: give the spare back, accept the client, write <c>ERROR :Server out of file descriptors</c>,
/// close it, take the spare again (the trick of libev's and nginx's accept loops). Without it a client would sit in
/// the kernel's accept queue, unanswered, until it timed out, while the accept loop spun on EMFILE.
/// </summary>
internal sealed class DescriptorReserve : IDisposable
{
    private readonly Lock _gate = new();
    private FileStream? _spare;

    public DescriptorReserve() => Restore();

    /// <summary>
    /// Runs <paramref name="withOneDescriptor"/> with the spare descriptor given back to the process; false (and
    /// nothing run) when there is no spare (it could not be taken back last time).
    /// </summary>
    public bool TryUse(Action withOneDescriptor)
    {
        lock (_gate)
        {
            if (_spare is null)
            {
                Restore();
                return false;
            }
            _spare.Dispose();
            _spare = null;
            try
            {
                withOneDescriptor();
            }
            finally
            {
                Restore();
            }
            return true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _spare?.Dispose();
            _spare = null;
        }
    }

    private void Restore()
    {
        try
        {
            _spare ??= new FileStream("/dev/null", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
