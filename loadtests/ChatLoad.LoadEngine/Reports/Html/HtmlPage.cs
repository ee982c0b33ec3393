using System.Text;

namespace ChatLoad.LoadEngine.Reports.Html;

/// <summary>
/// A complete HTML page in the reports' style: UTF-8, system fonts only (nothing fetched), plotly.js loaded once in
/// the head so every chart fragment from <see cref="HtmlCharts"/> can draw itself as the page is parsed.
/// </summary>
/// <remarks>
/// CSS classes the body may use: <c>banner banner-bad|banner-warn|banner-good</c> (a coloured box for the
/// page's key message), <c>badge ok|bad|warn</c> (small status labels), <c>figures</c> on a <c>&lt;table&gt;</c>
/// (numbers right-aligned; first column left), <c>passed</c>/<c>failed</c> on a table row, <c>muted</c> (secondary
/// text), <c>grid</c> (a two-column grid of charts that stacks on narrow screens), <c>kv</c> (a key/value table).
/// </remarks>
public static class HtmlPage
{
    /// <summary>Wraps <paramref name="bodyHtml"/> (already-safe HTML) in a page titled <paramref name="title"/>
    /// (encoded here).</summary>
    public static string Render(string title, string bodyHtml, PlotlyScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var page = new StringBuilder(bodyHtml.Length + (script.IsEmbedded ? 3_700_000 : 16_000));
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"generator\" content=\"ChatLoad\">\n")
            .Append("<title>").Append(HtmlText.Encode(title)).Append("</title>\n")
            .Append("<style>").Append(ReportStyles.Css).Append("</style>\n")
            .Append(script.ToHtml()).Append('\n')
            .Append("</head>\n<body>\n<main>\n")
            .Append(bodyHtml)
            .Append("\n</main>\n</body>\n</html>\n");
        return page.ToString();
    }
}
