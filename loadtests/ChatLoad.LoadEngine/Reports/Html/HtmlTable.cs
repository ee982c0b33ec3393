using System.Text;

namespace ChatLoad.LoadEngine.Reports.Html;

/// <summary>
/// Builds an HTML table whose cell text is always encoded. Use class <c>figures</c> for number tables
/// (right-aligned, first column left). Rows may carry a CSS class (e.g. <c>passed</c>/<c>failed</c>).
/// </summary>
public sealed class HtmlTable
{
    private readonly IReadOnlyList<string> _headers;
    private readonly string _cssClass;
    private readonly HashSet<int> _textColumns;
    private readonly StringBuilder _rows = new();

    /// <summary>A table with these column headers and CSS class (default <c>figures</c>).</summary>
    /// <param name="headers">Column headers.</param>
    /// <param name="cssClass">Class of the <c>table</c> element.</param>
    /// <param name="textColumns">Zero-based columns holding text rather than numbers: left-aligned (class
    /// <c>text</c>) in a <c>figures</c> table. The first column is always left-aligned.</param>
    public HtmlTable(IReadOnlyList<string> headers, string cssClass = "figures", IEnumerable<int>? textColumns = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _headers = headers;
        _cssClass = cssClass;
        _textColumns = [.. textColumns ?? []];
    }

    /// <summary>Number of rows added so far.</summary>
    public int RowCount { get; private set; }

    /// <summary>Adds a row of text cells.</summary>
    public HtmlTable Add(params IReadOnlyList<string> cells) => AddWithClass(null, cells);

    /// <summary>Adds a row of text cells with a CSS class on the row.</summary>
    /// <exception cref="ArgumentException">The row's cell count differs from the header count.</exception>
    public HtmlTable AddWithClass(string? rowClass, IReadOnlyList<string> cells) =>
        AddCells(rowClass, cells.Select(c => new HtmlCell(c)).ToList());

    /// <summary>Adds a row of cells that may carry their own CSS class.</summary>
    /// <exception cref="ArgumentException">The row's cell count differs from the header count.</exception>
    public HtmlTable AddCells(string? rowClass, IReadOnlyList<HtmlCell> cells)
    {
        if (cells.Count != _headers.Count)
            throw new ArgumentException($"A row has {cells.Count} cells but the table has {_headers.Count} columns.", nameof(cells));
        _rows.Append(rowClass is null ? "<tr>" : $"<tr class=\"{HtmlText.Encode(rowClass)}\">");
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            var cssClass = _textColumns.Contains(i) ? (cell.CssClass is null ? "text" : "text " + cell.CssClass) : cell.CssClass;
            _rows.Append(cssClass is null ? "<td>" : $"<td class=\"{HtmlText.Encode(cssClass)}\">");
            _rows.Append(HtmlText.Encode(cell.Text)).Append("</td>");
        }
        _rows.Append("</tr>\n");
        RowCount++;
        return this;
    }

    /// <summary>The table's HTML, wrapped so a wide table scrolls instead of widening the page.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<div class=\"table-scroll\"><table class=\"").Append(HtmlText.Encode(_cssClass)).Append("\">\n<thead><tr>");
        for (var i = 0; i < _headers.Count; i++)
            html.Append(_textColumns.Contains(i) ? "<th class=\"text\">" : "<th>").Append(HtmlText.Encode(_headers[i])).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n").Append(_rows).Append("</tbody></table></div>\n");
        return html.ToString();
    }
}

/// <summary>One table cell: its text (encoded when rendered) and an optional CSS class.</summary>
public sealed record HtmlCell(string Text, string? CssClass = null);
