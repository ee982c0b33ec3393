using ChatLoad.Server.Chat.Capabilities;
using ChatLoad.Server.Chat.Commands;

namespace ChatLoad.Server.Tests.Chat.Logic;

public class CapabilityRequestTests
{
    [Theory]
    [InlineData((int)(ClientCapabilities.None), "multi-prefix", (int)(ClientCapabilities.MultiPrefix))]
    [InlineData((int)(ClientCapabilities.None), "multi-prefix userhost-in-names", (int)(ClientCapabilities.MultiPrefix | ClientCapabilities.UserhostInNames))]
    [InlineData((int)(ClientCapabilities.MultiPrefix), "userhost-in-names", (int)(ClientCapabilities.MultiPrefix | ClientCapabilities.UserhostInNames))]
    [InlineData((int)(ClientCapabilities.EchoMessage | ClientCapabilities.ServerTime), "-server-time", (int)(ClientCapabilities.EchoMessage))]
    [InlineData((int)(ClientCapabilities.None), "-server-time", (int)(ClientCapabilities.None))]
    [InlineData((int)(ClientCapabilities.None), "  echo-message   batch ", (int)(ClientCapabilities.EchoMessage | ClientCapabilities.Batch))]
    public void A_request_of_offered_capabilities_is_applied_as_a_whole(int before, string request, int after)
    {
        Assert.Equal((ClientCapabilities)after, CapCommand.Apply((ClientCapabilities)before, request));
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("foo multi-prefix bar")]
    [InlineData("multi-prefix sasl")]
    [InlineData("-foo")]
    [InlineData("")]
    [InlineData("MULTI-PREFIX")]   // capability names are case-sensitive
    public void A_request_with_anything_not_offered_is_refused_whole(string request)
    {
        Assert.Null(CapCommand.Apply(ClientCapabilities.MultiPrefix, request));
    }

    [Fact]
    public void Every_offered_capability_has_its_own_bit_and_a_lowercase_name()
    {
        var flags = CapabilityCatalog.Offered.Select(c => c.Flag).ToList();
        Assert.Equal(flags.Count, flags.Distinct().Count());
        Assert.All(CapabilityCatalog.Offered, c => Assert.Equal(c.Name.ToLowerInvariant(), c.Name));
        Assert.Equal("echo-message multi-prefix", CapabilityCatalog.Names(ClientCapabilities.MultiPrefix | ClientCapabilities.EchoMessage));
    }
}
