using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// comparison.json: every outcome, the plan and the environment, saved beside index.html so that the report can be
/// rendered again (<c>compare --report-only DIR</c>) without running anything again.
/// </summary>
public static class ComparisonResultsJson
{
    public const string FileName = "comparison.json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Save(ComparisonResults results, string folder) =>
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(results, Options));

    /// <summary>Reads a saved comparison; a missing or foreign file is a clear error.</summary>
    public static ComparisonResults Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new ComparisonAbortedException($"{path} not found: --report-only needs the folder of an earlier comparison");
        try
        {
            return JsonSerializer.Deserialize<ComparisonResults>(File.ReadAllText(path), Options)
                   ?? throw new ComparisonAbortedException($"{path} is empty");
        }
        catch (JsonException ex)
        {
            throw new ComparisonAbortedException($"{path} is not a saved comparison: {ex.Message}");
        }
    }
}
