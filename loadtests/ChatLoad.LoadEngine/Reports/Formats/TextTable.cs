using System.Text;

namespace ChatLoad.LoadEngine.Reports.Formats;

/// <summary>A plain-text table with padded columns: the first and the listed text columns left-aligned, the rest
/// right-aligned like numbers.</summary>
internal sealed class TextTable(IReadOnlyList<string> headers, params int[] textColumns)
{
    private readonly List<IReadOnlyList<string>> _rows = [];

    // The first column names the row; other columns are numbers (right-aligned) unless listed as text.
    private bool IsText(int column) => column == 0 || textColumns.Contains(column);

    public TextTable Add(params IReadOnlyList<string> cells)
    {
        if (cells.Count != headers.Count)
            throw new ArgumentException($"A row has {cells.Count} cells but the table has {headers.Count} columns.");
        _rows.Add(cells);
        return this;
    }

    public void WriteTo(StringBuilder output, string indent = "  ")
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => Clean(r[i]).Length))).ToArray();
        WriteRow(output, indent, headers, widths);
        output.Append(indent).AppendJoin("  ", widths.Select(w => new string('-', w))).AppendLine();
        foreach (var row in _rows) WriteRow(output, indent, row, widths);
    }

    private void WriteRow(StringBuilder output, string indent, IReadOnlyList<string> cells, int[] widths)
    {
        var start = output.Length;
        output.Append(indent);
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) output.Append("  ");
            var cell = Clean(cells[i]);
            output.Append(IsText(i) ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]));
        }
        while (output.Length > start && output[^1] == ' ') output.Length--; // no trailing padding
        output.AppendLine();
    }

    // A name with a newline or tab would break the column layout; show it on one line.
    private static string Clean(string cell) => cell.ReplaceLineEndings(" ").Replace('\t', ' ');
}
