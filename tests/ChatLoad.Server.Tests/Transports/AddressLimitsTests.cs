using System.Net;
using ChatLoad.Server.Chat.Limits;
using ChatLoad.Server.Transports.Admission;
using Microsoft.Extensions.Time.Testing;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>Per source address: concurrent connections, the connect throttle, exemptions — on fake time.</summary>
public sealed class AddressLimitsTests
{
    private static readonly IPEndPoint A = new(IPAddress.Parse("127.0.0.1"), 40000);
    private static readonly IPEndPoint A2 = new(IPAddress.Parse("127.0.0.1"), 40001);
    private static readonly IPEndPoint B = new(IPAddress.Parse("127.0.0.2"), 40000);

    private static AddressLimits Limits(FakeTimeProvider time, int maxConnections, int burst, TimeSpan interval, string exempt = "")
    {
        Assert.True(AddressLimitSettings.TryParseNetworks(exempt, out var networks, out _));
        return new AddressLimits(new AddressLimitSettings(maxConnections, RateSettings.Create(burst, interval, time), networks), time);
    }

    [Fact]
    public void One_address_at_its_cap_leaves_another_address_unaffected()
    {
        var time = new FakeTimeProvider();
        var admission = new ConnectionAdmission(limit: 10, Limits(time, maxConnections: 2, burst: 0, TimeSpan.FromSeconds(1)));

        Assert.True(admission.TryAdmit(A, out _));
        Assert.True(admission.TryAdmit(A2, out _));
        Assert.False(admission.TryAdmit(A, out AdmissionRefusal? refusal));
        Assert.Equal("Too many connections from your address", refusal.Reason);
        Assert.Equal("per_address", refusal.Kind);
        Assert.True(admission.TryAdmit(B, out _));
        Assert.Equal(3, admission.Admitted);

        admission.Release(A);
        Assert.True(admission.TryAdmit(A, out _));
    }

    [Fact]
    public void The_connect_throttle_allows_a_burst_then_one_per_interval_and_says_when_to_retry()
    {
        var time = new FakeTimeProvider();
        var admission = new ConnectionAdmission(limit: 100, Limits(time, maxConnections: 0, burst: 3, TimeSpan.FromSeconds(2)));
        for (int i = 0; i < 3; i++)
        {
            Assert.True(admission.TryAdmit(A, out _));
            admission.Release(A); // connect and drop at once: the reconnect loop of issue 8's probe
        }

        Assert.False(admission.TryAdmit(A, out AdmissionRefusal? refusal));
        Assert.Equal("Connecting too fast from your address; try again in 2 s", refusal.Reason);
        Assert.Equal("connect_rate", refusal.Kind);
        Assert.True(admission.TryAdmit(B, out _)); // another address has its own bucket
        Assert.Equal(1, admission.Admitted);       // the refused connects hold no slot

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(admission.TryAdmit(A, out _));
        Assert.False(admission.TryAdmit(A, out _));
    }

    [Fact]
    public void Exempt_networks_have_neither_limit()
    {
        var time = new FakeTimeProvider();
        var admission = new ConnectionAdmission(limit: 100, Limits(time, maxConnections: 1, burst: 1, TimeSpan.FromMinutes(1), exempt: "127.0.0.0/30"));
        for (int i = 0; i < 10; i++)
            Assert.True(admission.TryAdmit(A, out _));
        Assert.True(admission.TryAdmit(new IPEndPoint(IPAddress.Parse("127.0.0.5"), 1), out _));
        Assert.False(admission.TryAdmit(new IPEndPoint(IPAddress.Parse("127.0.0.5"), 2), out _));
    }

    [Fact]
    public void A_refusal_by_the_server_limit_does_not_count_against_the_address()
    {
        var time = new FakeTimeProvider();
        var admission = new ConnectionAdmission(limit: 1, Limits(time, maxConnections: 1, burst: 0, TimeSpan.FromSeconds(1)));
        Assert.True(admission.TryAdmit(B, out _));
        Assert.False(admission.TryAdmit(A, out AdmissionRefusal? refusal));
        Assert.Equal("server_full", refusal.Kind);
        admission.Release(B);
        Assert.True(admission.TryAdmit(A, out _)); // A's count went back to 0 when the server refused it
    }

    [Fact]
    public void Idle_addresses_are_forgotten_once_their_bucket_is_full_again()
    {
        var time = new FakeTimeProvider();
        AddressLimits limits = Limits(time, maxConnections: 4, burst: 2, TimeSpan.FromSeconds(1));
        for (int i = 1; i <= 100; i++)
        {
            var remote = new IPEndPoint(new IPAddress([10, 0, 0, (byte)i]), 1);
            Assert.Equal(AddressVerdict.Admitted, limits.TryOpen(remote, out _));
            limits.Close(remote);
        }
        Assert.Equal(100, limits.TrackedAddresses);

        time.Advance(TimeSpan.FromSeconds(11));
        limits.TryOpen(A, out _);
        Assert.Equal(1, limits.TrackedAddresses);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("127.0.0.0/8, 10.1.2.3", true)]
    [InlineData("::1/128", true)]
    [InlineData("127.0.0.0/33", false)]
    [InlineData("localhost", false)]
    public void Exemption_lists_are_CIDRs_or_addresses(string text, bool valid)
    {
        Assert.Equal(valid, AddressLimitSettings.TryParseNetworks(text, out _, out string? problem));
        Assert.Equal(valid, problem is null);
    }
}
