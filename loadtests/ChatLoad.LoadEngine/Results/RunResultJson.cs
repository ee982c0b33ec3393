using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatLoad.LoadEngine.Results;

/// <summary>The JSON form of a <see cref="RunResult"/>: the complete raw result (histograms included) that reports are
/// re-made from and shards are merged from.</summary>
public static class RunResultJson
{
    /// <summary>camelCase, indented, enums as strings; TimeSpans in the "c" form ("00:00:30.5").</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            // NaN/Infinity can appear in a stat of an empty run; JSON numbers cannot hold them.
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>The result as indented JSON (what <c>result.json</c> holds; <see cref="Deserialize"/> reads it back).</summary>
    public static string Serialize(RunResult result) => JsonSerializer.Serialize(result, Options);

    /// <summary>Throws <see cref="FormatException"/> with the JSON path when the text is not a run result.</summary>
    public static RunResult Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<RunResult>(json, Options) ?? throw new FormatException("the JSON is null, not a run result");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not a ChatLoad run result: {ex.Message}", ex);
        }
    }
}
