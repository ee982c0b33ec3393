using ChatLoad.LoadClient;

namespace ChatLoad.LoadClient.Tests;

/// <summary>A server's ERROR line becomes a status a report can group by, and says plainly when a server limit was met.</summary>
public class FailureReasonsTests
{
    [Theory]
    [InlineData("Server full", FailureReasons.ServerFull)]
    [InlineData("SendQ exceeded", FailureReasons.SendQueueExceeded)]
    [InlineData("Excess flood", FailureReasons.ExcessFlood)]
    [InlineData("Too many connections from your address", FailureReasons.PerAddressLimit)]
    [InlineData("Connecting too fast from your address; try again in 2 s", FailureReasons.ConnectThrottled)]
    [InlineData("Server out of file descriptors; try again later", FailureReasons.ServerOutOfDescriptors)]
    [InlineData("Ping timeout: 60 seconds", "ping timeout")]
    [InlineData("Closing link: x[127.0.0.1] (Quit)", FailureReasons.Closed)]
    public void Error_texts_map_to_statuses(string text, string status)
    {
        Assert.Equal(status, FailureReasons.FromServerError(text));
    }

    [Fact]
    public void Meeting_flood_control_names_the_switch_that_lifts_it()
    {
        Assert.Contains("--flood-control off", FailureReasons.ExcessFlood);
    }

    [Fact]
    public void Meeting_the_per_address_limits_names_the_switches_that_lift_them()
    {
        Assert.Contains("--max-connections-per-address 0", FailureReasons.PerAddressLimit);
        Assert.Contains("--connect-burst-per-address 0", FailureReasons.ConnectThrottled);
        Assert.Contains("--per-address-exempt", FailureReasons.PerAddressLimit);
    }
}
