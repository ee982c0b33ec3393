using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>Reads a run's result.json with the engine's own deserializer; a bad or missing file is a reason, not a crash.</summary>
internal static class RunResultFile
{
    public static RunResult? TryRead(string path, out string? error)
    {
        error = null;
        if (!File.Exists(path))
        {
            error = $"{Path.GetFileName(path)} was not written";
            return null;
        }
        try
        {
            return RunResultJson.Deserialize(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException or InvalidDataException or NotSupportedException or FormatException)
        {
            error = $"{Path.GetFileName(path)} could not be read: {ex.Message}";
            return null;
        }
    }
}
