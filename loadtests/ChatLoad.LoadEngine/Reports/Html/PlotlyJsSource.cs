using System.Text.RegularExpressions;
using Plotly.NET;

namespace ChatLoad.LoadEngine.Reports.Html;

/// <summary>
/// The plotly.js text that Plotly.NET ships inside its assembly, read once per process and shared by every report:
/// Plotly.NET's own "Full" reference would inline it into every chart, and a report has a dozen charts.
/// </summary>
internal static partial class PlotlyJsSource
{
    private static readonly Lazy<string> LazyScript = new(Load);
    private static readonly Lazy<string> LazyLicense = new(LoadLicense);

    /// <summary>The plotly.js version Plotly.NET embeds (e.g. "2.28.0").</summary>
    public static string Version => Globals.PLOTLYJS_VERSION;

    /// <summary>The minified plotly.js source.</summary>
    public static string Script => LazyScript.Value;

    /// <summary>The license notices plotly.min.js refers to (MIT and bundled libraries); empty if not shipped.</summary>
    public static string License => LazyLicense.Value;

    private static string ResourceName => $"Plotly.NET.plotly-{Version}.min.js";

    private static string Load() =>
        ReadResource(ResourceName) ?? FromRenderedChart()
        ?? throw new InvalidOperationException(
            $"Could not find plotly.js in Plotly.NET {typeof(GenericChart).Assembly.GetName().Version}: neither the embedded "
            + $"resource '{ResourceName}' nor a script in a chart rendered with PlotlyJSReference.Full.");

    private static string LoadLicense() => ReadResource(ResourceName + ".LICENSE.txt") ?? "";

    private static string? ReadResource(string name)
    {
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(name);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // Fallback should a later Plotly.NET rename its resource: render one chart the documented way (Full reference)
    // and take the largest inline script, which is plotly.js itself.
    private static string? FromRenderedChart()
    {
        var chart = Plotly.NET.CSharp.Chart.Line<double, double, string>([0.0], [0.0]);
        var full = DisplayOptions.init(null, null, null, null, null, null, PlotlyJSReference.Full);
        var html = GenericChart.toEmbeddedHTML(Plotly.NET.Chart.withDisplayOptions(full).Invoke(chart));
        return InlineScript().Matches(html).Select(m => m.Groups[1].Value)
            .Where(s => s.Contains("plotly", StringComparison.OrdinalIgnoreCase))
            .MaxBy(s => s.Length);
    }

    [GeneratedRegex(@"<script[^>]*>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}
