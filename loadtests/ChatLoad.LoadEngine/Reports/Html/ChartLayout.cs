using Plotly.NET;

namespace ChatLoad.LoadEngine.Reports.Html;

/// <summary>
/// The look every chart shares, set on Plotly.NET's layout objects: a light template with system fonts (no web
/// fonts to download), a fixed height with the width following the page, the legend above the plot, and tick labels
/// that skip needless decimals.
/// </summary>
internal static class ChartLayout
{
    /// <summary>Height of every chart in CSS pixels: tall enough to read a p99 spike, short enough to scan a page.</summary>
    public const int HeightPixels = 380;

    private const string FontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

    // Colour-blind-friendly (Okabe-Ito) with enough contrast on white.
    private static readonly string[] Colorway =
        ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

    public static GenericChart Apply(GenericChart chart, bool unifiedHover)
    {
        // The title is the figure's HTML caption, not plotly's: plotly places a title and a multi-row legend in the
        // same top margin, where they overlap.
        chart = Plotly.NET.Chart.withTemplate(Template()).Invoke(chart);
        var layout = GenericChart.getLayout(chart);
        layout.RemoveProperty("width"); // follow the page width (config "responsive" is on)
        layout.SetProperty("height", HeightPixels);
        layout.SetProperty("autosize", true);
        layout.SetProperty("margin", new Dictionary<string, object> { ["l"] = 70, ["r"] = 30, ["t"] = 30, ["b"] = 60 });
        layout.SetProperty("legend", new Dictionary<string, object>
        {
            ["orientation"] = "h", ["x"] = 0, ["y"] = 1.02, ["xanchor"] = "left", ["yanchor"] = "bottom",
        });
        layout.SetProperty("hovermode", unifiedHover ? "x unified" : "closest");
        // The plotly logo in the toolbar links to plotly's website; a report has no reason to point off-line.
        GenericChart.getConfig(chart).SetProperty("displaylogo", false);
        return chart;
    }

    /// <summary>Sets extra properties on an axis ("xaxis"/"yaxis") already created by Plotly.NET's axis styling.</summary>
    public static void SetAxisProperty(GenericChart chart, string axis, string property, object value)
    {
        var layout = GenericChart.getLayout(chart);
        if (layout.TryGetPropertyValue(axis) is { Value: DynamicObj.DynamicObj axisObject })
            axisObject.SetProperty(property, value);
        else
            throw new InvalidOperationException($"Chart has no '{axis}' to style; style the axis with Plotly.NET first.");
    }

    private static Template Template()
    {
        var layout = new Layout();
        layout.SetProperty("font", new Dictionary<string, object> { ["family"] = FontFamily, ["size"] = 13, ["color"] = "#1f2933" });
        layout.SetProperty("paper_bgcolor", "#ffffff");
        layout.SetProperty("plot_bgcolor", "#ffffff");
        layout.SetProperty("colorway", Colorway);
        var axis = new Dictionary<string, object>
        {
            ["gridcolor"] = "#e4e7eb", ["linecolor"] = "#9aa5b1", ["showline"] = true, ["zerolinecolor"] = "#cbd2d9",
            ["automargin"] = true, ["ticks"] = "outside", ["tickcolor"] = "#9aa5b1",
        };
        layout.SetProperty("xaxis", axis);
        layout.SetProperty("yaxis", new Dictionary<string, object>(axis) { ["rangemode"] = "tozero" });
        return Plotly.NET.Template.init<Trace>(layout, null);
    }
}
