using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ChatLoad.Server.Hosting;

namespace ChatLoad.Server.Transports.Tls;

/// <summary>The TLS listener's certificate: loaded from PEM or PKCS#12, or generated self-signed at start.</summary>
internal static class ServerCertificate
{
    /// <summary>How long a generated certificate is valid: a year is plenty for a process that makes a new one at each start.</summary>
    private static readonly TimeSpan SelfSignedValidity = TimeSpan.FromDays(365);

    /// <summary>
    /// Loads <see cref="ServerOptions.TlsCertificate"/> (and <see cref="ServerOptions.TlsKey"/>), or generates a
    /// self-signed certificate when none is configured.
    /// </summary>
    /// <exception cref="CryptographicException">The file is not a certificate, or the key does not match.</exception>
    public static X509Certificate2 Load(ServerOptions options, TimeProvider time)
    {
        string path = options.TlsCertificate;
        if (path.Length == 0)
            return CreateSelfSigned(options.ServerName, time);
        string? password = options.TlsCertificatePassword.Length > 0 ? options.TlsCertificatePassword : null;
        if (IsPem(path))
        {
            string keyPath = options.TlsKey.Length > 0 ? options.TlsKey : path;
            X509Certificate2 pem = password is null
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
            return pem;
        }
        return X509CertificateLoader.LoadPkcs12FromFile(path, password);
    }

    /// <summary>An ECDSA P-256 certificate for <paramref name="serverName"/>, localhost and 127.0.0.1, valid from now.</summary>
    public static X509Certificate2 CreateSelfSigned(string serverName, TimeProvider time)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={serverName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(serverName);
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        DateTimeOffset now = time.GetUtcNow();
        return request.CreateSelfSigned(now.AddMinutes(-5), now + SelfSignedValidity);
    }

    private static bool IsPem(string path)
    {
        using var reader = new StreamReader(path);
        char[] start = new char[64];
        int read = reader.Read(start, 0, start.Length);
        return new string(start, 0, read).Contains("-----BEGIN", StringComparison.Ordinal);
    }
}
