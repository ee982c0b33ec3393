using System.Globalization;
using System.Text.Json;

namespace ChatLoad.LoadEngine.Config;

/// <summary>
/// Reads the JSON config file by hand over <see cref="JsonDocument"/> so that every mistake gets a message naming
/// the file, the JSON path and the expected keys or value ("config.json: $.scenarios[0].rat: unknown key; expected
/// one of ..."), rather than a serializer's type dump.
/// </summary>
internal static class ConfigFileReader
{
    private static readonly string[] RootKeys = ["testName", "reportFolder", "reportFormats", "thresholds", "properties", "engine", "scenarios", "cluster", "metricsPort"];
    private static readonly string[] ClusterKeys = ["nats", "agents", "agentWait", "agentTimeout", "onAgentLoss", "iterationsOn"];
    private static readonly string[] EngineKeys = ["lateTolerance", "maxInFlightSeconds", "maxInFlight", "drainTimeout", "cleanTimeout", "monitorGenerator"];
    private static readonly string[] ScenarioKeys = ["name", "target", "clients", "rate", "duration", "warmUp", "loadSimulations", "thresholds", "customSettings", "iterationsOn"];

    private static readonly Dictionary<string, string[]> SimulationKeys = new(StringComparer.Ordinal)
    {
        ["inject"] = ["type", "rate", "interval", "during"],
        ["rampingInject"] = ["type", "rate", "interval", "during"],
        ["keepConstant"] = ["type", "copies", "during"],
        ["rampingConstant"] = ["type", "copies", "during"],
        ["iterationsForConstant"] = ["type", "copies", "iterations", "timeout"],
        ["pause"] = ["type", "during"],
    };

    public static LoadTestConfig ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"config file '{path}' cannot be read: {ex.Message}");
        }
        return Read(text, Path.GetFileName(path));
    }

    public static LoadTestConfig Read(string json, string sourceName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{sourceName}: not valid JSON: {ex.Message}");
        }
        using (document)
        {
            var reader = new Reader(sourceName);
            return reader.Root(document.RootElement);
        }
    }

    private sealed class Reader(string source)
    {
        private UsageException Error(string path, string message) => new($"{source}: {path}: {message}");

        public LoadTestConfig Root(JsonElement root)
        {
            var keys = Object(root, "$", RootKeys);
            var scenarios = keys.TryGetValue("scenarios", out var s) ? Array(s, "$.scenarios").Select((e, i) => Scenario(e, $"$.scenarios[{i}]")).ToList() : [];
            var duplicate = scenarios.GroupBy(x => x.Name).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) throw Error("$.scenarios", $"scenario '{duplicate.Key}' appears twice");
            return new LoadTestConfig
            {
                TestName = keys.TryGetValue("testName", out var t) ? String(t, "$.testName") : null,
                ReportFolder = keys.TryGetValue("reportFolder", out var f) ? String(f, "$.reportFolder") : null,
                ReportFormats = keys.TryGetValue("reportFormats", out var r) ? Strings(r, "$.reportFormats") : null,
                Thresholds = keys.TryGetValue("thresholds", out var th) ? Strings(th, "$.thresholds") : [],
                Properties = keys.TryGetValue("properties", out var p) ? StringMap(p, "$.properties") : new Dictionary<string, string>(),
                Engine = keys.TryGetValue("engine", out var e) ? Engine(e, "$.engine") : null,
                Scenarios = scenarios,
                Cluster = keys.TryGetValue("cluster", out var c) ? Cluster(c, "$.cluster") : null,
                MetricsPort = keys.TryGetValue("metricsPort", out var m) ? Port(m, "$.metricsPort") : null,
            };
        }

        private ClusterConfig Cluster(JsonElement element, string path)
        {
            var keys = Object(element, path, ClusterKeys);
            var config = new ClusterConfig
            {
                Nats = keys.TryGetValue("nats", out var v) ? String(v, path + ".nats") : null,
                Agents = keys.TryGetValue("agents", out v) ? Int(v, path + ".agents", min: 1) : null,
                AgentWait = keys.TryGetValue("agentWait", out v) ? Duration(v, path + ".agentWait") : null,
                AgentTimeout = keys.TryGetValue("agentTimeout", out v) ? Duration(v, path + ".agentTimeout") : null,
                OnAgentLoss = keys.TryGetValue("onAgentLoss", out v) ? String(v, path + ".onAgentLoss") : null,
                IterationsOn = keys.TryGetValue("iterationsOn", out v) ? String(v, path + ".iterationsOn") : null,
            };
            if (config.OnAgentLoss is not (null or "continue" or "stop")) throw Error(path + ".onAgentLoss", $"expected \"continue\" or \"stop\", found \"{config.OnAgentLoss}\"");
            if (config.Nats is not null && !Uri.TryCreate(config.Nats, UriKind.Absolute, out _)) throw Error(path + ".nats", $"expected nats://HOST:PORT, found \"{config.Nats}\"");
            return config;
        }

        private int Port(JsonElement element, string path)
        {
            int port = Int(element, path, min: 0);
            return port <= 65535 ? port : throw Error(path, "expected a port from 0 to 65535");
        }

        private EngineOptions Engine(JsonElement element, string path)
        {
            var keys = Object(element, path, EngineKeys);
            var options = new EngineOptions();
            if (keys.TryGetValue("lateTolerance", out var v)) options = options with { LateTolerance = Duration(v, path + ".lateTolerance") };
            if (keys.TryGetValue("maxInFlightSeconds", out v)) options = options with { MaxInFlightSeconds = Number(v, path + ".maxInFlightSeconds", min: 0.001) };
            if (keys.TryGetValue("maxInFlight", out v)) options = options with { MaxInFlight = Int(v, path + ".maxInFlight", min: 1) };
            if (keys.TryGetValue("drainTimeout", out v)) options = options with { DrainTimeout = Duration(v, path + ".drainTimeout") };
            if (keys.TryGetValue("cleanTimeout", out v)) options = options with { CleanTimeout = Duration(v, path + ".cleanTimeout") };
            if (keys.TryGetValue("monitorGenerator", out v)) options = options with { MonitorGenerator = Bool(v, path + ".monitorGenerator") };
            return options;
        }

        private ScenarioConfig Scenario(JsonElement element, string path)
        {
            var keys = Object(element, path, ScenarioKeys);
            if (!keys.TryGetValue("name", out var name)) throw Error(path, "a scenario needs a \"name\"");
            return new ScenarioConfig
            {
                Name = String(name, path + ".name"),
                Target = keys.TryGetValue("target", out var v) ? String(v, path + ".target") : null,
                Clients = keys.TryGetValue("clients", out v) ? Int(v, path + ".clients", min: 1) : null,
                Rate = keys.TryGetValue("rate", out v) ? Number(v, path + ".rate", min: 0) : null,
                Duration = keys.TryGetValue("duration", out v) ? Duration(v, path + ".duration") : null,
                WarmUp = keys.TryGetValue("warmUp", out v) ? Duration(v, path + ".warmUp", allowZero: true) : null,
                LoadSimulations = keys.TryGetValue("loadSimulations", out v)
                    ? Array(v, path + ".loadSimulations").Select((e, i) => Simulation(e, $"{path}.loadSimulations[{i}]")).ToList()
                    : null,
                Thresholds = keys.TryGetValue("thresholds", out v) ? Strings(v, path + ".thresholds") : [],
                CustomSettings = keys.TryGetValue("customSettings", out v) ? StringMap(v, path + ".customSettings") : new Dictionary<string, string>(),
                IterationsOn = keys.TryGetValue("iterationsOn", out v) ? String(v, path + ".iterationsOn") : null,
            };
        }

        private LoadSimulation Simulation(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object) throw Error(path, "a load simulation is an object, e.g. {\"type\": \"inject\", \"rate\": 100, \"interval\": \"1s\", \"during\": \"30s\"}");
            if (!element.TryGetProperty("type", out var typeElement)) throw Error(path, $"a load simulation needs a \"type\" (one of {string.Join(", ", SimulationKeys.Keys)})");
            var type = String(typeElement, path + ".type");
            if (!SimulationKeys.TryGetValue(type, out var allowed))
                throw Error(path + ".type", $"unknown simulation type '{type}' (one of {string.Join(", ", SimulationKeys.Keys)})");
            var keys = Object(element, path, allowed);
            foreach (var key in allowed.Where(k => k is not ("type" or "interval" or "timeout")))
                if (!keys.ContainsKey(key)) throw Error(path, $"\"{type}\" needs \"{key}\"");

            TimeSpan During() => Duration(keys["during"], path + ".during");
            TimeSpan Interval() => keys.TryGetValue("interval", out var i) ? Duration(i, path + ".interval") : TimeSpan.FromSeconds(1);
            int Rate() => Int(keys["rate"], path + ".rate", min: 0);
            int Copies() => Int(keys["copies"], path + ".copies", min: type == "rampingConstant" ? 0 : 1);
            return type switch
            {
                "inject" => LoadEngine.Simulation.Inject(Rate(), Interval(), During()),
                "rampingInject" => LoadEngine.Simulation.RampingInject(Rate(), Interval(), During()),
                "keepConstant" => LoadEngine.Simulation.KeepConstant(Copies(), During()),
                "rampingConstant" => LoadEngine.Simulation.RampingConstant(Copies(), During()),
                "iterationsForConstant" => LoadEngine.Simulation.IterationsForConstant(Copies(), Long(keys["iterations"], path + ".iterations", min: 1),
                    keys.TryGetValue("timeout", out var timeout) ? Duration(timeout, path + ".timeout") : null),
                _ => LoadEngine.Simulation.Pause(During()),
            };
        }

        private Dictionary<string, JsonElement> Object(JsonElement element, string path, string[] allowed)
        {
            if (element.ValueKind != JsonValueKind.Object) throw Error(path, $"expected an object, found {Kind(element)}");
            var keys = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    var hint = allowed.FirstOrDefault(a => string.Equals(a, property.Name, StringComparison.OrdinalIgnoreCase));
                    throw Error($"{path}.{property.Name}", hint is not null
                        ? $"unknown key (keys are case-sensitive: did you mean \"{hint}\"?)"
                        : $"unknown key; expected one of {string.Join(", ", allowed)}");
                }
                if (!keys.TryAdd(property.Name, property.Value)) throw Error($"{path}.{property.Name}", "key given twice");
            }
            return keys;
        }

        private IReadOnlyList<JsonElement> Array(JsonElement element, string path) =>
            element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().ToList() : throw Error(path, $"expected an array, found {Kind(element)}");

        private string String(JsonElement element, string path) =>
            element.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(element.GetString())
                ? element.GetString()!
                : throw Error(path, $"expected a non-empty string, found {Kind(element)}");

        private IReadOnlyList<string> Strings(JsonElement element, string path) =>
            Array(element, path).Select((e, i) => String(e, $"{path}[{i}]")).ToList();

        /// <summary>Values may be strings, numbers or booleans (all handed to the scenario as text).</summary>
        private IReadOnlyDictionary<string, string> StringMap(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object) throw Error(path, $"expected an object, found {Kind(element)}");
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                map[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Number => property.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => throw Error($"{path}.{property.Name}", $"expected a string, number or boolean, found {Kind(property.Value)}"),
                };
            }
            return map;
        }

        private TimeSpan Duration(JsonElement element, string path, bool allowZero = false)
        {
            var text = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
            if (!ChatLoad.CommandLine.Duration.TryParse(text, out var duration))
                throw Error(path, $"expected a duration such as \"30s\", \"500ms\" or \"2m\", found {(text is null ? Kind(element) : $"\"{text}\"")}");
            if (duration < TimeSpan.Zero || (!allowZero && duration == TimeSpan.Zero)) throw Error(path, "the duration must be positive");
            return duration;
        }

        private double Number(JsonElement element, string path, double min) =>
            element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var value) && double.IsFinite(value) && value >= min
                ? value
                : throw Error(path, $"expected a number >= {min.ToString(CultureInfo.InvariantCulture)}, found {Kind(element)}");

        private int Int(JsonElement element, string path, int min) =>
            element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value) && value >= min
                ? value
                : throw Error(path, $"expected a whole number >= {min}, found {Kind(element)}");

        private long Long(JsonElement element, string path, long min) =>
            element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value) && value >= min
                ? value
                : throw Error(path, $"expected a whole number >= {min}, found {Kind(element)}");

        private bool Bool(JsonElement element, string path) => element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(path, $"expected true or false, found {Kind(element)}"),
        };

        private static string Kind(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => $"the string \"{element.GetString()}\"",
            JsonValueKind.Number => $"the number {element.GetRawText()}",
            JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            JsonValueKind.Null => "null",
            JsonValueKind.Array => "an array",
            _ => "an object",
        };
    }
}
