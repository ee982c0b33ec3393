using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace ChatLoad.Server.Transports.Admission;

/// <summary>
/// The one place that decides whether an accepted connection may stay, for both models and every listener (plain and
/// TLS): at most <see cref="Limit"/> connections at once — the smallest of ServerOptions.MaxClients and the mode's
/// resource ceiling (<see cref="ConnectionCeiling"/>) — and, per source address, at most so many at once and so many
/// new ones a second (<see cref="AddressLimits"/>). A connection over any of them is told why
/// (<c>ERROR :&lt;reason&gt;</c>) instead of failing somewhere deeper.
/// </summary>
internal sealed class ConnectionAdmission
{
    private readonly AddressLimits? _addresses;
    private int _admitted;

    public ConnectionAdmission(int limit, AddressLimits? addresses = null)
    {
        Limit = limit;
        _addresses = addresses;
    }

    public int Limit { get; }

    /// <summary>Connections admitted and not yet released.</summary>
    public int Admitted => Volatile.Read(ref _admitted);

    /// <summary>
    /// Admits a connection from <paramref name="remote"/>, or returns false with the refusal to tell the client.
    /// Every true is matched by one <see cref="Release"/>.
    /// </summary>
    public bool TryAdmit(EndPoint? remote, [NotNullWhen(false)] out AdmissionRefusal? refusal)
    {
        // The address's own limits first: a flooding address is told that it is the problem, full server or not.
        TimeSpan retryAfter = TimeSpan.Zero;
        switch (_addresses?.TryOpen(remote, out retryAfter) ?? AddressVerdict.Admitted)
        {
            case AddressVerdict.TooManyConnections:
                refusal = AdmissionRefusal.TooManyFromAddress;
                return false;
            case AddressVerdict.ConnectingTooFast:
                refusal = AdmissionRefusal.ConnectingTooFast(retryAfter);
                return false;
        }
        while (true)
        {
            int current = Volatile.Read(ref _admitted);
            if (current >= Limit)
            {
                _addresses?.Close(remote);
                refusal = AdmissionRefusal.ServerFull;
                return false;
            }
            if (Interlocked.CompareExchange(ref _admitted, current + 1, current) == current)
            {
                refusal = null;
                return true;
            }
        }
    }

    /// <summary>The connection admitted for <paramref name="remote"/> has ended.</summary>
    public void Release(EndPoint? remote)
    {
        Interlocked.Decrement(ref _admitted);
        _addresses?.Close(remote);
    }
}

/// <summary>Why a connection was turned away: the text of its <c>ERROR</c> line and the metric label it is counted under.</summary>
internal sealed record AdmissionRefusal(string Kind, string Reason)
{
    public static readonly AdmissionRefusal ServerFull = new("server_full", ServerReplies.ServerFullReason);

    public static readonly AdmissionRefusal TooManyFromAddress = new("per_address", ServerReplies.TooManyFromAddressReason);

    /// <summary>Accept failed for lack of file descriptors; the connection was taken with the reserve only to say so.</summary>
    public static readonly AdmissionRefusal OutOfDescriptors = new("descriptors", ServerReplies.OutOfDescriptorsReason);

    /// <summary>The threads model could not start this client's threads for a reason other than descriptors.</summary>
    public static readonly AdmissionRefusal NoThreads = new("threads", ServerReplies.NoThreadsReason);

    /// <summary>The TLS listener already has its most handshakes in progress.</summary>
    public static readonly AdmissionRefusal TooManyHandshakes = new("tls_handshakes", ServerReplies.TooManyHandshakesReason);

    public static AdmissionRefusal ConnectingTooFast(TimeSpan retryAfter) =>
        new("connect_rate", $"{ServerReplies.ConnectingTooFastReason}; try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s");
}
