using ChatLoad.LoadEngine;
using ChatLoad.LoadTests.Scenarios;

namespace ChatLoad.LoadTests.Tests.Scenarios;

public sealed class ScenarioSettingsTests
{
    private static ScenarioSettings With(params (string Key, string Value)[] custom) =>
        new() { Target = "127.0.0.1:6667", Custom = custom.ToDictionary(c => c.Key, c => c.Value) };

    [Fact]
    public void Every_scenario_builds_with_defaults_and_names_itself()
    {
        Assert.Equal(7, ChatScenarios.All.Count);
        foreach (var factory in ChatScenarios.All)
        {
            var scenario = factory.Create(new ScenarioSettings());
            Assert.Equal(factory.Name, scenario.Name);
            Assert.NotNull(scenario.Init);
            Assert.NotNull(scenario.Clean);
            Assert.NotEmpty(scenario.LoadSimulations);
        }
    }

    [Fact]
    public void Chat_scenarios_carry_the_loss_and_order_thresholds_unless_turned_off()
    {
        var on = RoomChatScenario.Factory.Create(With());
        var off = RoomChatScenario.Factory.Create(With(("loss-thresholds", "false")));
        Assert.Contains(on.Thresholds, t => t.Expression == "counter:lost == 0");
        Assert.Contains(on.Thresholds, t => t.Expression == "counter:out of order == 0");
        Assert.Empty(off.Thresholds);
    }

    [Fact]
    public void A_typo_in_a_setting_is_a_clear_error_listing_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => RoomChatScenario.Factory.Create(With(("room-szie", "5"))));
        Assert.Contains("room-szie", e.Message);
        Assert.Contains("room-size", e.Message);
    }

    [Fact]
    public void Another_chat_scenarios_setting_is_tolerated()
    {
        PingPongScenario.Factory.Create(With(("room-size", "5")));
    }

    [Theory]
    [InlineData("room-size", "1")]
    [InlineData("room-size", "ten")]
    [InlineData("padding", "100000")]
    [InlineData("drain", "soon")]
    [InlineData("connect-rate", "0")]
    [InlineData("loss-thresholds", "maybe")]
    public void Bad_values_are_clear_errors(string key, string value)
    {
        var e = Assert.Throws<ArgumentException>(() => RoomChatScenario.Factory.Create(With((key, value))));
        Assert.Contains(key, e.Message);
    }

    [Theory]
    [InlineData("nowhere")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:99999")]
    public void A_bad_target_is_a_clear_error(string target)
    {
        var e = Assert.Throws<ArgumentException>(() => RoomChatScenario.Factory.Create(new ScenarioSettings { Target = target }));
        Assert.Contains("--target", e.Message);
    }

    [Fact]
    public void Connect_storm_opens_clients_over_the_given_duration_when_no_rate_is_given()
    {
        var storm = ConnectStormScenario.Factory.Create(new ScenarioSettings { Clients = 300, Duration = TimeSpan.FromSeconds(10), Custom = new Dictionary<string, string> { ["hold"] = "0s" } });
        var inject = Assert.IsType<ChatLoad.LoadEngine.InjectSimulation>(Assert.Single(storm.LoadSimulations));
        Assert.Equal(30, inject.Rate);
        Assert.Equal(TimeSpan.FromSeconds(10), inject.During);
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("5s", 5)]
    [InlineData("2m", 120)]
    public void Durations_read_with_units(string text, double seconds)
    {
        var reader = new ScenarioOptionsReader("room-chat", new Dictionary<string, string> { ["drain"] = text }, ["drain"]);
        Assert.Equal(TimeSpan.FromSeconds(seconds), reader.Duration("drain", TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void A_duration_without_a_unit_is_an_error_as_everywhere_else()
    {
        var reader = new ScenarioOptionsReader("room-chat", new Dictionary<string, string> { ["drain"] = "1.5" }, ["drain"]);
        var e = Assert.Throws<ArgumentException>(() => reader.Duration("drain", TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromHours(1)));
        Assert.Contains("'1.5' has no unit", e.Message);
    }

    [Fact]
    public void Rooms_are_filled_in_index_order_and_the_last_takes_the_rest()
    {
        var layout = new RoomLayout("abc", clients: 7, roomSize: 3);
        Assert.Equal(3, layout.RoomCount);
        Assert.Equal([6], layout.Members(2));
        Assert.Equal(layout.ChannelOf(4), layout.Channel(1));
    }

    [Fact]
    public void Senders_take_turns_across_the_rooms_so_no_room_gets_its_messages_in_one_burst()
    {
        var layout = new RoomLayout("abc", clients: 7, roomSize: 3);
        // Rooms {0,1,2} {3,4,5} {6}: first members of every room, then second members, then third.
        Assert.Equal([0, 3, 6, 1, 4, 2, 5], layout.InSendingOrder(Enumerable.Range(0, 7), i => i));
        // Clients that did not make it are skipped; the order of the rest holds.
        Assert.Equal([3, 6, 1, 4, 5], layout.InSendingOrder([1, 3, 4, 5, 6], i => i));
    }
}
