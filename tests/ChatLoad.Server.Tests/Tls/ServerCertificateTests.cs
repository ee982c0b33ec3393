using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Transports.Tls;

namespace ChatLoad.Server.Tests.Tls;

/// <summary>The TLS certificate from PEM (one file or two), from PKCS#12, or generated self-signed.</summary>
public sealed class ServerCertificateTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("chatload-cert-");

    [Fact]
    public void Without_a_file_a_self_signed_certificate_for_the_server_name_and_localhost_is_generated()
    {
        using X509Certificate2 cert = ServerCertificate.Load(new ServerOptions { ServerName = "irc.example" }, TimeProvider.System);
        Assert.True(cert.HasPrivateKey);
        Assert.Equal("CN=irc.example", cert.Subject);
        Assert.True(cert.MatchesHostname("localhost"));
        Assert.True(cert.MatchesHostname("irc.example"));
        Assert.True(cert.NotAfter > DateTime.Now.AddDays(300));
    }

    [Fact]
    public void A_PEM_certificate_loads_with_its_key_from_a_second_file_or_the_same_one()
    {
        using X509Certificate2 original = ServerCertificate.CreateSelfSigned("pem.example", TimeProvider.System);
        string certPath = Write("cert.pem", original.ExportCertificatePem());
        string keyPath = Write("key.pem", original.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        string bothPath = Write("both.pem", original.ExportCertificatePem() + "\n" + original.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        using X509Certificate2 separate = ServerCertificate.Load(new ServerOptions { TlsCertificate = certPath, TlsKey = keyPath }, TimeProvider.System);
        using X509Certificate2 together = ServerCertificate.Load(new ServerOptions { TlsCertificate = bothPath }, TimeProvider.System);
        Assert.Equal(original.Thumbprint, separate.Thumbprint);
        Assert.Equal(original.Thumbprint, together.Thumbprint);
        Assert.True(separate.HasPrivateKey);
        Assert.True(together.HasPrivateKey);
    }

    [Fact]
    public void A_PKCS12_file_loads_with_its_password()
    {
        using X509Certificate2 original = ServerCertificate.CreateSelfSigned("pfx.example", TimeProvider.System);
        string path = Path.Combine(_dir.FullName, "server.pfx");
        File.WriteAllBytes(path, original.Export(X509ContentType.Pkcs12, "secret"));

        using X509Certificate2 loaded = ServerCertificate.Load(new ServerOptions { TlsCertificate = path, TlsCertificatePassword = "secret" }, TimeProvider.System);
        Assert.Equal(original.Thumbprint, loaded.Thumbprint);
        Assert.True(loaded.HasPrivateKey);
        Assert.ThrowsAny<CryptographicException>(() =>
            ServerCertificate.Load(new ServerOptions { TlsCertificate = path, TlsCertificatePassword = "wrong" }, TimeProvider.System));
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
