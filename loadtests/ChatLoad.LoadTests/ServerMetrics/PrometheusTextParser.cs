using System.Globalization;
using System.Text;

namespace ChatLoad.LoadTests.ServerMetrics;

/// <summary>One sample line: <c>name{label="value",...} value [timestamp]</c>.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// Reads the Prometheus text exposition format (version 0.0.4) as far as a scraper needs: sample lines with
/// optional labels (quoted values with <c>\\</c>, <c>\"</c> and <c>\n</c> escapes, commas and braces inside),
/// values in Go float syntax (<c>1.5e+06</c>, <c>NaN</c>, <c>+Inf</c>), an optional timestamp. Comment lines
/// (<c># HELP</c>, <c># TYPE</c>) and blank lines are skipped. A malformed line is skipped and counted, never thrown:
/// one odd metric must not cost the whole scrape.
/// </summary>
internal static class PrometheusTextParser
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    public static IReadOnlyList<PrometheusSample> Parse(string text, out int malformedLines)
    {
        var samples = new List<PrometheusSample>();
        malformedLines = 0;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            var line = rawLine.Trim();
            if (line.IsEmpty || line[0] == '#')
                continue;
            if (TryParseLine(line, out var sample))
                samples.Add(sample);
            else
                malformedLines++;
        }
        return samples;
    }

    internal static bool TryParseLine(ReadOnlySpan<char> line, out PrometheusSample sample)
    {
        sample = null!;
        int pos = 0;
        while (pos < line.Length && IsNameChar(line[pos], pos == 0))
            pos++;
        if (pos == 0)
            return false;
        string name = line[..pos].ToString();

        IReadOnlyDictionary<string, string> labels = NoLabels;
        if (pos < line.Length && line[pos] == '{')
        {
            if (!TryParseLabels(line, ref pos, out var parsed))
                return false;
            labels = parsed;
        }

        var rest = line[pos..].TrimStart();
        if (rest.IsEmpty || pos < line.Length && !char.IsWhiteSpace(line[pos]) && line[pos - 1] != '}')
            return false;
        int space = rest.IndexOfAny(' ', '\t');
        var valueText = space < 0 ? rest : rest[..space];
        if (!TryParseValue(valueText, out double value))
            return false;
        if (space >= 0)
        {
            var timestamp = rest[space..].Trim();
            if (!timestamp.IsEmpty && !long.TryParse(timestamp, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                return false;
        }
        sample = new PrometheusSample(name, labels, value);
        return true;
    }

    private static bool TryParseLabels(ReadOnlySpan<char> line, ref int pos, out Dictionary<string, string> labels)
    {
        labels = new Dictionary<string, string>(StringComparer.Ordinal);
        pos++; // '{'
        while (true)
        {
            SkipSpaces(line, ref pos);
            if (pos >= line.Length)
                return false;
            if (line[pos] == '}')
            {
                pos++;
                return true;
            }
            int nameStart = pos;
            while (pos < line.Length && IsNameChar(line[pos], pos == nameStart))
                pos++;
            if (pos == nameStart)
                return false;
            string labelName = line[nameStart..pos].ToString();
            SkipSpaces(line, ref pos);
            if (pos >= line.Length || line[pos] != '=')
                return false;
            pos++;
            SkipSpaces(line, ref pos);
            if (pos >= line.Length || line[pos] != '"')
                return false;
            pos++;
            var value = new StringBuilder();
            while (true)
            {
                if (pos >= line.Length)
                    return false; // unterminated quote
                char c = line[pos++];
                if (c == '"')
                    break;
                if (c == '\\')
                {
                    if (pos >= line.Length)
                        return false;
                    char escaped = line[pos++];
                    value.Append(escaped == 'n' ? '\n' : escaped);
                }
                else
                {
                    value.Append(c);
                }
            }
            labels[labelName] = value.ToString();
            SkipSpaces(line, ref pos);
            if (pos < line.Length && line[pos] == ',')
                pos++;
            else if (pos >= line.Length || line[pos] != '}')
                return false;
        }
    }

    private static bool TryParseValue(ReadOnlySpan<char> text, out double value)
    {
        switch (text)
        {
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsNameChar(char c, bool first) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or ':' || !first && c is >= '0' and <= '9';

    private static void SkipSpaces(ReadOnlySpan<char> line, ref int pos)
    {
        while (pos < line.Length && line[pos] is ' ' or '\t')
            pos++;
    }
}
