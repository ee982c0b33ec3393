using System.Diagnostics.Metrics;
using ChatLoad.Server.Tests.Chat.Fakes;

namespace ChatLoad.Server.Tests.Chat;

public class MetricsTests
{
    [Fact]
    public void The_core_reports_registrations_lines_fan_out_and_protocol_errors()
    {
        using var harness = new ChatHarness();
        var totals = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (harness.MeterFactory.Meters.Contains(instrument.Meter))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (totals)
                totals[instrument.Name] = totals.GetValueOrDefault(instrument.Name) + value;
        });
        listener.Start();

        List<FakeClient> members = harness.RegisterInChannel("#m", 5);     // 10 lines in, 5 registrations
        Assert.Equal(5, totals["chatload.clients.registered"]);
        long queuedBefore = totals["chatload.messages.out"];

        members[0].Send("PRIVMSG #m :to four others");                     // 4 recipients
        Assert.Equal(4, totals["chatload.messages.out"] - queuedBefore);

        members[0].Send("PRIVMSG #nowhere :x");                            // 403
        members[0].Session.OnLineTooLong();                                // 417
        Assert.Equal(2, totals["chatload.protocol.errors"]);

        members[1].Disconnect("gone");
        Assert.Equal(4, totals["chatload.clients.registered"]);
        Assert.Equal(5 * 3 + 2, totals["chatload.messages.in"]);           // NICK, USER, JOIN each + 2 PRIVMSG (417 is not a line)
    }
}
