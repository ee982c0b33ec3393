using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>The connection ceiling derived from vm.max_map_count and the open-file limit.</summary>
public sealed class ConnectionCeilingTests
{
    [Fact]
    public void Threads_mode_is_bounded_by_mappings_and_async_mode_by_descriptors()
    {
        // This machine's figures: max_map_count 65,530; open files 20,000.
        var ceiling = new ConnectionCeiling(MaxMapCount: 65_530, MappingsInUse: 500, OpenFileLimit: 20_000, DescriptorsInUse: 136);

        Assert.Equal((65_530 - 500 - ConnectionCeiling.MappingHeadroom) / ConnectionCeiling.MappingsPerThread, ceiling.ThreadLimit);
        Assert.Equal(20_000 - 136 - ConnectionCeiling.DefaultDescriptorHeadroom, ceiling.DescriptorLimit);
        // ~7,600 clients: the map count is the wall, and each client takes a read and a writer thread.
        Assert.Equal(2, ConnectionCeiling.ThreadsPerClient);
        Assert.Equal(ceiling.ThreadLimit / 2, ceiling.ThreadsModeLimit);
        Assert.Equal(ceiling.DescriptorLimit, ceiling.AsyncModeLimit);
    }

    [Fact]
    public void A_low_open_file_limit_bounds_the_threads_mode_too()
    {
        var ceiling = new ConnectionCeiling(MaxMapCount: 65_530, MappingsInUse: 500, OpenFileLimit: 1024, DescriptorsInUse: 100);

        Assert.Equal(1024 - 100 - ConnectionCeiling.DefaultDescriptorHeadroom, ceiling.ThreadsModeLimit);
    }

    [Fact]
    public void Exhausted_limits_give_zero_not_a_negative_count()
    {
        var ceiling = new ConnectionCeiling(MaxMapCount: 1000, MappingsInUse: 900, OpenFileLimit: 50, DescriptorsInUse: 40);

        Assert.Equal(0, ceiling.ThreadLimit);
        Assert.Equal(0, ceiling.DescriptorLimit);
    }

    [Fact]
    public void Measuring_this_process_reads_real_figures()
    {
        ConnectionCeiling ceiling = ConnectionCeiling.Measure();

        Assert.True(ceiling.MappingsInUse > 0);
        Assert.True(ceiling.DescriptorsInUse > 0);
        Assert.True(ceiling.ThreadsModeLimit > 1000, $"threads ceiling only {ceiling.ThreadsModeLimit}");
    }
}
