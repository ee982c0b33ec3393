using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace ChatLoad.Server.Transports;

/// <summary>
/// The one place that decides whether an accepted connection may stay, for both models: today at most
/// <see cref="Limit"/> connections at once — the smallest of ServerOptions.MaxClients and the mode's resource
/// ceiling (<see cref="ConnectionCeiling"/>) — so a connection over it is told <c>ERROR :Server full</c> instead of
/// failing somewhere deeper. Per-address limits and a connect throttle belong here too: they see the same
/// remote address at admission and at release.
/// </summary>
internal sealed class ConnectionAdmission(int limit)
{
    private int _admitted;

    public int Limit { get; } = limit;

    /// <summary>Connections admitted and not yet released.</summary>
    public int Admitted => Volatile.Read(ref _admitted);

    /// <summary>
    /// Admits a connection from <paramref name="remote"/>, or returns false with the reason to tell the client
    /// (<c>ERROR :&lt;refusal&gt;</c>). Every true is matched by one <see cref="Release"/>.
    /// </summary>
    public bool TryAdmit(EndPoint? remote, [NotNullWhen(false)] out string? refusal)
    {
        while (true)
        {
            int current = Volatile.Read(ref _admitted);
            if (current >= Limit)
            {
                refusal = ServerReplies.ServerFullReason;
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
    public void Release(EndPoint? remote) => Interlocked.Decrement(ref _admitted);
}
