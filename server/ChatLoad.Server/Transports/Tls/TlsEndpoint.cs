using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace ChatLoad.Server.Transports.Tls;

/// <summary>
/// What a TLS listener's connections share: the server's authentication options (its certificate), the handshake
/// timeout, and the bound on handshakes in progress (<see cref="TryBeginHandshake"/>). A connection made with one
/// runs its handshake first — on its own read thread (threads model) or awaited (async model) — and only then
/// reads lines, exactly as a plain connection does, through an <see cref="SslStream"/>.
/// </summary>
internal sealed class TlsEndpoint
{
    private readonly int _maxHandshakes;
    private int _handshakes;

    public TlsEndpoint(X509Certificate2 certificate, TimeSpan handshakeTimeout, int maxHandshakes)
    {
        Certificate = certificate;
        HandshakeTimeout = handshakeTimeout;
        _maxHandshakes = maxHandshakes;
        Authentication = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null),
            ClientCertificateRequired = false,
            EnabledSslProtocols = SslProtocols.None, // the OS's choice: TLS 1.2 and 1.3 here
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
    }

    public X509Certificate2 Certificate { get; }

    public SslServerAuthenticationOptions Authentication { get; }

    /// <summary>ServerOptions.TlsHandshakeTimeout: a handshake not finished by then is reset.</summary>
    public TimeSpan HandshakeTimeout { get; }

    /// <summary>Handshakes in progress now.</summary>
    public int HandshakesInProgress => Volatile.Read(ref _handshakes);

    /// <summary>Counts one handshake in, or false when ServerOptions.MaxTlsHandshakes are in progress already.</summary>
    public bool TryBeginHandshake()
    {
        while (true)
        {
            int current = Volatile.Read(ref _handshakes);
            if (current >= _maxHandshakes)
                return false;
            if (Interlocked.CompareExchange(ref _handshakes, current + 1, current) == current)
                return true;
        }
    }

    /// <summary>One handshake counted by <see cref="TryBeginHandshake"/> is over (done, failed or timed out).</summary>
    public void EndHandshake() => Interlocked.Decrement(ref _handshakes);
}
