using System.CommandLine;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Xml.Linq;
using ChatLoad.CommandLine;

namespace ChatLoad.Server.Hosting;

/// <summary>One server switch, derived from a <see cref="ServerOptions"/> property.</summary>
/// <param name="Name">"--send-timeout": the property's name in kebab case (nested option classes prefix theirs).</param>
/// <param name="ConfigurationKey">"Server:SendTimeout": where Microsoft.Extensions.Configuration binds it.</param>
/// <param name="PropertyName">"SendTimeout": the <see cref="ServerOptions"/> property it sets.</param>
/// <param name="ValueType">The property's type, which decides how the switch's text is parsed and checked.</param>
/// <param name="Option">The System.CommandLine option the server's command line declares for it.</param>
public sealed record ServerSwitch(string Name, string ConfigurationKey, string PropertyName, Type ValueType, Option<string> Option);

/// <summary>
/// The server's command line on System.CommandLine, derived from <see cref="ServerOptions"/>: every settable
/// property is a <c>--kebab-case</c> switch whose help is its <see cref="DescriptionAttribute"/> or XML doc summary,
/// with the code default shown — so an option added to <see cref="ServerOptions"/> appears here without editing
/// this file. Values are checked by type (whole numbers, <c>on|off</c>, the one duration grammar, enum names) and
/// handed to Microsoft.Extensions.Configuration as "Server:Property" keys, above appsettings.json and CHATLOAD_
/// environment variables. Unknown switches are errors with the nearest known one suggested.
/// </summary>
public static class ServerCommandLine
{
    public const string Program = "chatload-server";

    /// <summary>Every switch, in <see cref="ServerOptions"/> declaration order.</summary>
    public static IReadOnlyList<ServerSwitch> Switches { get; } = Derive(typeof(ServerOptions), ServerOptions.SectionName, "", new ServerOptions()).ToArray();

    /// <summary>The switch that sets <paramref name="propertyName"/> (e.g. "SendTimeout" → "--send-timeout").</summary>
    public static string? SwitchFor(string propertyName) =>
        Switches.FirstOrDefault(s => s.PropertyName == propertyName || s.ConfigurationKey.EndsWith(":" + propertyName, StringComparison.Ordinal))?.Name;

    /// <summary>A root command with every switch; <paramref name="run"/> gets the configuration values given.</summary>
    public static RootCommand Create(Func<IReadOnlyDictionary<string, string?>, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand(
            "ChatLoad's IRC chat server. Settings come from appsettings.json, CHATLOAD_ environment variables " +
            "(CHATLOAD_Server__Port=7000) and these switches, later ones winning.");
        foreach (var s in Switches) root.Options.Add(s.Option);
        root.SetAction((parsed, ct) => run(ValuesOf(parsed), ct));
        return root;
    }

    /// <summary>Parses <paramref name="args"/> into configuration values; a mistake is a <see cref="FormatException"/>
    /// with the first problem in one line (the program itself reports every problem through <see cref="CommandLineRun"/>).</summary>
    public static IReadOnlyDictionary<string, string?> Parse(string[] args)
    {
        var parsed = Create((_, _) => Task.FromResult(0)).Parse(args);
        if (parsed.Errors.Count > 0) throw new FormatException(CommandLineRun.Problems(parsed)[0]);
        return ValuesOf(parsed);
    }

    private static IReadOnlyDictionary<string, string?> ValuesOf(ParseResult parsed)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in Switches)
            if (parsed.GetValue(s.Option) is { } text)
                values[s.ConfigurationKey] = ToConfiguration(s.ValueType, text)!;
        return values;
    }

    private static IEnumerable<ServerSwitch> Derive(Type type, string section, string prefix, object defaults)
    {
        var docs = XmlDocs.For(type.Assembly);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.CanRead))
        {
            Type valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            string name = prefix + Kebab(property.Name);
            string key = section + ":" + property.Name;
            if (IsNested(valueType))
            {
                object nested = property.GetValue(defaults) ?? Activator.CreateInstance(valueType)!;
                foreach (var inner in Derive(valueType, key, name + "-", nested)) yield return inner;
                continue;
            }
            if (!IsScalar(valueType)) continue; // lists and maps are left to appsettings.json

            string description = property.GetCustomAttribute<DescriptionAttribute>()?.Description
                                 ?? docs.GetValueOrDefault($"P:{type.FullName}.{property.Name}") ?? "";
            string? defaultText = DefaultText(valueType, property.GetValue(defaults));
            var option = new Option<string>("--" + name)
            {
                Description = description + (defaultText is null ? "" : $" [default: {defaultText}]"),
                HelpName = HelpName(valueType),
            };
            Type captured = valueType;
            string switchName = "--" + name;
            option.Validators.Add(result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (Problem(captured, switchName, text) is { } problem) result.AddError(problem);
            });
            yield return new ServerSwitch(switchName, key, property.Name, valueType, option);
        }
    }

    private static bool IsScalar(Type t) =>
        t == typeof(string) || t == typeof(bool) || t == typeof(int) || t == typeof(long) || t == typeof(double) || t == typeof(TimeSpan) || t.IsEnum;

    /// <summary>Option classes of our own nested in ServerOptions (e.g. a flood-control section) get prefixed switches.</summary>
    private static bool IsNested(Type t) =>
        t.IsClass && t != typeof(string) && t.Namespace?.StartsWith("ChatLoad", StringComparison.Ordinal) == true && t.GetConstructor(Type.EmptyTypes) is not null;

    /// <summary>Null when <paramref name="text"/> is a valid value of <paramref name="type"/>, else the one-line reason.</summary>
    private static string? Problem(Type type, string name, string text) =>
        ToConfiguration(type, text) is not null ? null
        : type == typeof(TimeSpan) ? Duration.Problem(text, name)
        : type == typeof(bool) ? $"{name} must be on or off (got '{text}')"
        : type.IsEnum ? $"{name} must be {string.Join(" or ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))} (got '{text}')"
        : $"{name}: '{text}' is not a {(type == typeof(double) ? "number" : "whole number")}";

    /// <summary>The text the configuration binder reads for <paramref name="text"/>, or null when it is not valid.</summary>
    private static string? ToConfiguration(Type type, string text)
    {
        if (type == typeof(string)) return text;
        if (type == typeof(bool)) return Options.ParseSwitch(text) is { } b ? (b ? "true" : "false") : null;
        if (type == typeof(TimeSpan)) return Duration.TryParse(text, out var d) ? d.ToString("c", CultureInfo.InvariantCulture) : null;
        if (type == typeof(int)) return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i.ToString(CultureInfo.InvariantCulture) : null;
        if (type == typeof(long)) return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) ? l.ToString(CultureInfo.InvariantCulture) : null;
        if (type == typeof(double)) return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : null;
        if (type.IsEnum)
            return !text.Any(char.IsDigit) && Enum.GetNames(type).FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } e ? e : null;
        return null;
    }

    private static string? DefaultText(Type type, object? value) => value switch
    {
        null => type.IsEnum ? "none (required)" : null,
        TimeSpan t => Duration.Format(t),
        bool b => b ? "on" : "off",
        string { Length: 0 } => null,
        int i => i.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string HelpName(Type type) =>
        type == typeof(TimeSpan) ? "duration"
        : type == typeof(bool) ? "on|off"
        : type.IsEnum ? string.Join("|", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))
        : type == typeof(string) ? "text"
        : "n";

    /// <summary>"SendQueueBytes" → "send-queue-bytes".</summary>
    public static string Kebab(string pascal)
    {
        var chars = new List<char>(pascal.Length + 4);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            bool boundary = i > 0 && char.IsUpper(c) && (char.IsLower(pascal[i - 1]) || (i + 1 < pascal.Length && char.IsLower(pascal[i + 1])));
            if (boundary) chars.Add('-');
            chars.Add(char.ToLowerInvariant(c));
        }
        return new string(chars.ToArray());
    }

    /// <summary>Summaries from the assembly's XML documentation file (beside the dll), tags flattened to text.</summary>
    private static class XmlDocs
    {
        private static readonly Dictionary<Assembly, Dictionary<string, string>> Cache = new();

        public static Dictionary<string, string> For(Assembly assembly)
        {
            lock (Cache)
            {
                if (Cache.TryGetValue(assembly, out var known)) return known;
                var docs = new Dictionary<string, string>(StringComparer.Ordinal);
                string path = Path.ChangeExtension(assembly.Location, ".xml");
                try
                {
                    if (File.Exists(path))
                        foreach (var member in XDocument.Load(path).Descendants("member"))
                            if (member.Attribute("name")?.Value is { } name && member.Element("summary") is { } summary)
                                docs[name] = Flatten(summary);
                }
                catch (Exception ex) when (ex is IOException or System.Xml.XmlException or UnauthorizedAccessException)
                {
                    // No help text is better than no server: the switches still work.
                }
                return Cache[assembly] = docs;
            }
        }

        private static string Flatten(XElement summary)
        {
            var text = string.Concat(summary.Nodes().Select(n => n switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "see" or "paramref" } e => (e.Attribute("cref") ?? e.Attribute("name"))?.Value.Split('.', ':')[^1] ?? e.Value,
                XElement e => e.Value,
                _ => "",
            }));
            return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }
    }
}
