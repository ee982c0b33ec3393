using ChatLoad.LoadTests.Comparison;

namespace ChatLoad.LoadTests.Tests.Comparison;

public class PlanPresetsTests
{
    [Fact]
    public void Quick_searches_saturation_and_passes_the_threads_wall_within_about_five_minutes()
    {
        var plan = PlanPresets.Build(new ComparisonOptions());
        Assert.True(plan.MaxClients >= 2_000, $"quick preset tops out at {plan.MaxClients}");
        Assert.True(plan.Estimate <= TimeSpan.FromMinutes(5), $"quick preset estimated at {plan.Estimate}");
        Assert.Equal(1, plan.Repeat);
        Assert.Equal(3, plan.ConfirmRepeats);
        var searches = plan.Rungs.Where(r => r.Search is not null).ToArray();
        Assert.Equal([100, 1_000], searches.Select(r => r.Clients));
        Assert.All(searches, r => Assert.Equal(50, r.Search!.SloP99Ms));
        Assert.Contains("3 times", plan.RepeatsDescription());
        // Only the rung past the threads ceiling needs more than one generator process.
        Assert.All(plan.Rungs, r => Assert.Equal(r.Clients > 12_000 ? 2 : 1, r.Shards));
        Assert.True(plan.MaxClients > 15_237, "the quick preset should pass the threads model's ceiling on this machine");
        Assert.Contains("idle-hold", plan.Scenarios);
        Assert.Contains("room-chat", plan.Scenarios);
    }

    [Fact]
    public void Full_climbs_past_10000_with_shards_and_three_repeats()
    {
        var plan = PlanPresets.Build(new ComparisonOptions { Preset = ComparisonPreset.Full });
        Assert.Equal(3, plan.Repeat);
        Assert.All(plan.Rungs.Where(r => r.Search is not null), r => Assert.Equal(3, r.Search!.BisectSteps));
        Assert.True(plan.MaxClients >= 16_000);
        Assert.All(plan.Rungs.Where(r => r.Clients > 12_000), r => Assert.True(r.Shards >= 2, r.Label));
        Assert.Equal(PlanPresets.KnownScenarios.Count, plan.Scenarios.Count());
    }

    [Fact]
    public void Smoke_is_seconds_and_chosen_scenarios_and_modes_are_kept_in_order()
    {
        var plan = PlanPresets.Build(new ComparisonOptions { Preset = ComparisonPreset.Smoke, Servers = ["async", "threads"], Scenarios = ["ping-pong"], Repeat = 2 });
        Assert.Equal(["ping-pong"], plan.Scenarios);
        Assert.Equal(["async", "threads"], plan.Runs().Select(r => r.Server).Distinct());
        Assert.Equal(4, plan.RunCount);
        Assert.Equal(2, plan.ConfirmRepeats);
        Assert.True(plan.Estimate < TimeSpan.FromMinutes(1));
    }

    [Theory]
    [InlineData(19_000, 3)]
    [InlineData(18_000, 2)]
    [InlineData(10, 1)]
    public void Shards_split_clients_evenly_and_lose_none(int clients, int shards)
    {
        Assert.Equal(shards, PlanPresets.ShardsFor(clients, 9_000));
        var shares = Enumerable.Range(0, shards).Select(i => RungRunner.ShareOf(clients, shards, i)).ToArray();
        Assert.Equal(clients, shares.Sum());
        Assert.True(shares.Max() - shares.Min() <= 1);
    }

    [Fact]
    public void The_printed_plan_names_every_scenario_and_the_estimate()
    {
        var plan = PlanPresets.Build(new ComparisonOptions());
        string text = PlanPrinter.Describe(plan);
        foreach (var s in plan.Scenarios) Assert.Contains(s, text);
        Assert.Contains("estimated time:", text);
        Assert.Contains("16,000", text);
        Assert.Contains("saturation search 2,000→32,000 messages/s", text);
    }
}
