using System.Net;

namespace ChatLoad.LoadEngine.Reports.Html;

/// <summary>Encoding of text from results (scenario names, messages, properties) before it goes into a page.</summary>
public static class HtmlText
{
    /// <summary>HTML-encodes text for element content and quoted attribute values (<c>&lt; &gt; &amp; " '</c>).</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>
    /// Encodes text for plotly.js labels (titles, axis titles, trace names, categories). plotly.js reads a small set of
    /// HTML tags in labels and decodes entities, so <c>&lt; &gt; &amp;</c> are encoded to show literally; this also
    /// keeps <c>&lt;/script&gt;</c> out of the inline chart script.
    /// </summary>
    internal static string ForPlotly(string? text) =>
        (text ?? "").Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
