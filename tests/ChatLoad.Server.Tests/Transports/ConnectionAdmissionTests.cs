using System.Net;
using ChatLoad.Server.Transports.Admission;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>The one admission point of both models: MaxClients or the mode's ceiling, whichever is lower.</summary>
public sealed class ConnectionAdmissionTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Loopback, 40000);

    [Fact]
    public void Admits_up_to_the_limit_then_refuses_with_server_full_until_a_slot_is_released()
    {
        var admission = new ConnectionAdmission(limit: 2);

        Assert.True(admission.TryAdmit(Peer, out _));
        Assert.True(admission.TryAdmit(Peer, out _));
        Assert.False(admission.TryAdmit(Peer, out AdmissionRefusal? refusal));
        Assert.Equal("Server full", refusal.Reason);
        Assert.Equal(2, admission.Admitted);

        admission.Release(Peer);
        Assert.True(admission.TryAdmit(Peer, out _));
    }

    [Fact]
    public void Concurrent_admissions_never_pass_the_limit()
    {
        var admission = new ConnectionAdmission(limit: 1000);
        int admitted = 0;
        Parallel.For(0, 4000, i =>
        {
            if (admission.TryAdmit(Peer, out _))
                Interlocked.Increment(ref admitted);
        });

        Assert.Equal(1000, admitted);
        Assert.Equal(1000, admission.Admitted);
    }
}
