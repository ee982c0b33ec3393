using ChatLoad.LoadClient;

namespace ChatLoad.LoadClient.Tests;

/// <summary>A server's ERROR line becomes a status a report can group by, and says plainly when a server limit was met.</summary>
public class FailureReasonsTests
{
    [Theory]
    [InlineData("Server full", FailureReasons.ServerFull)]
    [InlineData("SendQ exceeded", FailureReasons.SendQueueExceeded)]
    [InlineData("Excess flood", FailureReasons.ExcessFlood)]
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
}
