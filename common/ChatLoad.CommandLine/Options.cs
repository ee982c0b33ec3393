using System.CommandLine;
using System.Globalization;

namespace ChatLoad.CommandLine;

/// <summary>Option builders every program uses, so the same kind of value reads the same way everywhere.</summary>
public static class Options
{
    /// <summary>A duration in the one grammar (<see cref="Duration"/>); a bare number is an error.</summary>
    public static Option<TimeSpan?> Duration(string name, string description, TimeSpan? defaultValue = null, TimeSpan? min = null)
    {
        var option = new Option<TimeSpan?>(name)
        {
            Description = description + (defaultValue is { } d ? $" [default: {CommandLine.Duration.Format(d)}]" : ""),
            HelpName = "duration",
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (!CommandLine.Duration.TryParse(text, out var value))
                {
                    result.AddError(CommandLine.Duration.Problem(text, name));
                    return null;
                }
                if (min is { } m && value < m)
                {
                    result.AddError($"{name}: '{text}' is below the least allowed, {CommandLine.Duration.Format(m)}");
                    return null;
                }
                return value;
            },
        };
        return option;
    }

    /// <summary>A whole number within [min, max].</summary>
    public static Option<int?> Int(string name, string description, int min, int max, int? defaultValue = null)
    {
        return new Option<int?>(name)
        {
            Description = description + (defaultValue is { } d ? $" [default: {d.ToString(CultureInfo.InvariantCulture)}]" : ""),
            HelpName = "n",
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
                {
                    result.AddError($"{name}: '{text}' is not a whole number from {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}");
                    return null;
                }
                return value;
            },
        };
    }

    /// <summary>A number within (min, max].</summary>
    public static Option<double?> Number(string name, string description, double min, double max, string helpName = "number")
    {
        return new Option<double?>(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value <= min || value > max)
                {
                    result.AddError($"{name}: '{text}' is not a number above {min.ToString(CultureInfo.InvariantCulture)} (at most {max.ToString(CultureInfo.InvariantCulture)})");
                    return null;
                }
                return value;
            },
        };
    }

    /// <summary>A comma-separated list (repeatable too: <c>--x a,b --x c</c>), each item one of <paramref name="known"/>
    /// when given; duplicates dropped, order kept.</summary>
    public static Option<string[]> List(string name, string description, IReadOnlyCollection<string>? known = null, string helpName = "list")
    {
        return new Option<string[]>(name)
        {
            Description = description,
            HelpName = helpName,
            AllowMultipleArgumentsPerToken = false,
            Arity = ArgumentArity.OneOrMore,
            CustomParser = result =>
            {
                var items = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Distinct(StringComparer.Ordinal).ToArray();
                if (items.Length == 0) result.AddError($"{name} needs at least one name");
                if (known is not null)
                    foreach (var item in items.Where(i => !known.Contains(i, StringComparer.Ordinal)))
                    {
                        string? near = Suggestions.Nearest(item, known);
                        result.AddError($"{name}: '{item}' is unknown (known: {string.Join(", ", known)})" + (near is null ? "" : $"; did you mean {near}?"));
                    }
                return items;
            },
        };
    }

    /// <summary>on/off (also yes/no, true/false, 1/0).</summary>
    public static bool? ParseSwitch(string text) => text.Trim().ToLowerInvariant() switch
    {
        "on" or "yes" or "true" or "1" => true,
        "off" or "no" or "false" or "0" => false,
        _ => null,
    };
}
