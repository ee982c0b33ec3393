using System.Globalization;

namespace ChatLoad.LoadTests.Scenarios;

/// <summary>
/// Reads a scenario's custom settings (<c>--set key=value</c>, the config file's <c>customSettings</c>) with typed
/// defaults and ranges. An unknown key or a bad value is a clear error naming the scenario, key and allowed values,
/// thrown when the scenario is built, before anything connects.
/// </summary>
internal sealed class ScenarioOptionsReader
{
    private readonly string _scenario;
    private readonly IReadOnlyDictionary<string, string> _values;

    /// <param name="knownKeys">The keys this scenario reads (listed in the error message).</param>
    /// <param name="toleratedKeys">Keys accepted and ignored (other scenarios' settings in a shared <c>--set</c>).</param>
    public ScenarioOptionsReader(string scenario, IReadOnlyDictionary<string, string> values, IEnumerable<string> knownKeys,
        IEnumerable<string>? toleratedKeys = null)
    {
        _scenario = scenario;
        _values = values;
        var known = new HashSet<string>(knownKeys, StringComparer.OrdinalIgnoreCase);
        var accepted = new HashSet<string>(known.Concat(toleratedKeys ?? ChatSettingKeys.All), StringComparer.OrdinalIgnoreCase);
        var unknown = values.Keys.Where(k => !accepted.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException(
                $"{scenario}: unknown setting{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(k => $"'{k}'"))}; " +
                $"known: {string.Join(", ", known.Order())}");
    }

    public string? String(string key) => TryGet(key, out string? v) ? v : null;

    public int Int(string key, int defaultValue, int min, int max)
    {
        if (!TryGet(key, out string? text))
            return defaultValue;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
            throw Bad(key, text, $"a whole number from {min} to {max}");
        return value;
    }

    public double Double(string key, double defaultValue, double min, double max)
    {
        if (!TryGet(key, out string? text))
            return defaultValue;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value >= min && value <= max))
            throw Bad(key, text, $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
        return value;
    }

    public bool Bool(string key, bool defaultValue)
    {
        if (!TryGet(key, out string? text))
            return defaultValue;
        return text.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" or "1" => true,
            "false" or "no" or "off" or "0" => false,
            _ => throw Bad(key, text, "true or false"),
        };
    }

    /// <summary>Durations in the one grammar of every ChatLoad program (<see cref="ChatLoad.CommandLine.Duration"/>):
    /// <c>500ms</c>, <c>5s</c>, <c>2m</c>; a bare number is an error.</summary>
    public TimeSpan Duration(string key, TimeSpan defaultValue, TimeSpan min, TimeSpan max)
    {
        if (!TryGet(key, out string? text))
            return defaultValue;
        if (!ChatLoad.CommandLine.Duration.TryParse(text, out var value))
            throw new ArgumentException($"{_scenario}: setting {ChatLoad.CommandLine.Duration.Problem(text, key)}");
        if (value < min || value > max)
            throw Bad(key, text, $"a duration from {ChatLoad.CommandLine.Duration.Format(min)} to {ChatLoad.CommandLine.Duration.Format(max)}");
        return value;
    }

    private bool TryGet(string key, out string text)
    {
        foreach (var (k, v) in _values)
        {
            if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
            {
                text = v;
                return true;
            }
        }
        text = "";
        return false;
    }

    private ArgumentException Bad(string key, string value, string expected) =>
        new($"{_scenario}: setting {key}='{value}' is not valid: expected {expected}");
}
