using ChatLoad.LoadTests.ServerMetrics;

namespace ChatLoad.LoadTests.Tests.ServerMetrics;

public sealed class PrometheusTextParserTests
{
    private const string Scrape = """
        # HELP process_num_threads Total number of threads
        # TYPE process_num_threads gauge
        process_num_threads 312

        # TYPE process_working_set_bytes gauge
        process_working_set_bytes 1.23456789e+08
        process_cpu_seconds_total 12.5 1700000000000
        dotnet_gc_heap_size_bytes{gc_heap_generation="gen0"} 1000
        dotnet_gc_heap_size_bytes{gc_heap_generation="gen1"} 2000
        odd_labels{path="a,b}c",quote="say \"hi\"",slash="x\\y",nl="one\ntwo"} 3
        spaced_labels{ a = "1" , b="2" ,} 4
        special_nan NaN
        special_inf +Inf
        special_ninf -Inf
        """;

    private static PrometheusSample One(IReadOnlyList<PrometheusSample> samples, string name) => Assert.Single(samples, s => s.Name == name);

    [Fact]
    public void Reads_plain_samples_and_skips_comments_and_blank_lines()
    {
        var samples = PrometheusTextParser.Parse(Scrape, out int malformed);

        Assert.Equal(0, malformed);
        Assert.Equal(312, One(samples, "process_num_threads").Value);
        Assert.Equal(123456789, One(samples, "process_working_set_bytes").Value);
        Assert.Equal(12.5, One(samples, "process_cpu_seconds_total").Value); // trailing timestamp ignored
    }

    [Fact]
    public void Reads_labels_with_escapes_commas_and_braces_in_values()
    {
        var samples = PrometheusTextParser.Parse(Scrape, out _);
        var odd = One(samples, "odd_labels");

        Assert.Equal("a,b}c", odd.Labels["path"]);
        Assert.Equal("say \"hi\"", odd.Labels["quote"]);
        Assert.Equal("x\\y", odd.Labels["slash"]);
        Assert.Equal("one\ntwo", odd.Labels["nl"]);
        Assert.Equal(3, odd.Value);
        var spaced = One(samples, "spaced_labels");
        Assert.Equal(("1", "2"), (spaced.Labels["a"], spaced.Labels["b"]));
    }

    [Fact]
    public void Reads_special_float_values()
    {
        var samples = PrometheusTextParser.Parse(Scrape, out _);
        Assert.True(double.IsNaN(One(samples, "special_nan").Value));
        Assert.Equal(double.PositiveInfinity, One(samples, "special_inf").Value);
        Assert.Equal(double.NegativeInfinity, One(samples, "special_ninf").Value);
    }

    [Theory]
    [InlineData("no_value")]
    [InlineData("bad_value abc")]
    [InlineData("unterminated{a=\"x} 1")]
    [InlineData("missing_quote{a=x} 1")]
    [InlineData("9starts_with_digit 1")]
    [InlineData("name-with-dash 1")]
    [InlineData("bad_timestamp 1 soon")]
    public void Malformed_lines_are_skipped_and_counted_not_thrown(string line)
    {
        var samples = PrometheusTextParser.Parse("good 1\n" + line + "\nalso_good 2\n", out int malformed);
        Assert.Equal(1, malformed);
        Assert.Equal(["good", "also_good"], samples.Select(s => s.Name));
    }

    [Fact]
    public void Windows_line_endings_are_fine()
    {
        var samples = PrometheusTextParser.Parse("a 1\r\n# c\r\nb 2\r\n", out int malformed);
        Assert.Equal(0, malformed);
        Assert.Equal(2, samples.Count);
    }
}
