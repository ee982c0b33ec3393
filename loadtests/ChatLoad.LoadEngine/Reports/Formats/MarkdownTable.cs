using System.Text;

namespace ChatLoad.LoadEngine.Reports.Formats;

/// <summary>A GitHub-flavoured Markdown table; cell text is escaped so names from results cannot break the layout.</summary>
internal sealed class MarkdownTable(IReadOnlyList<string> headers, params int[] textColumns)
{
    private readonly List<IReadOnlyList<string>> _rows = [];

    // The first column names the row; other columns are numbers (right-aligned) unless listed as text.
    private bool IsText(int column) => column == 0 || textColumns.Contains(column);

    public MarkdownTable Add(params IReadOnlyList<string> cells)
    {
        if (cells.Count != headers.Count)
            throw new ArgumentException($"A row has {cells.Count} cells but the table has {headers.Count} columns.");
        _rows.Add(cells);
        return this;
    }

    public void WriteTo(StringBuilder output)
    {
        output.Append("| ").AppendJoin(" | ", headers.Select(Escape)).AppendLine(" |");
        output.Append('|').AppendJoin("|", headers.Select((_, i) => IsText(i) ? " --- " : " ---: ")).AppendLine("|");
        foreach (var row in _rows) output.Append("| ").AppendJoin(" | ", row.Select(Escape)).AppendLine(" |");
        output.AppendLine();
    }

    /// <summary>Escapes Markdown and inline-HTML metacharacters so result text shows literally.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ReplaceLineEndings(" "))
        {
            switch (c)
            {
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '&': builder.Append("&amp;"); break;
                case '|' or '\\' or '`' or '*' or '_' or '[' or ']' or '#':
                    builder.Append('\\').Append(c); break;
                default: builder.Append(c); break;
            }
        }
        return builder.ToString();
    }
}
