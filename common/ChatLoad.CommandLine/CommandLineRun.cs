using System.CommandLine;

namespace ChatLoad.CommandLine;

/// <summary>
/// How every ChatLoad program turns its arguments into an action: System.CommandLine parses; a mistake (unknown
/// option, missing or bad value) is reported as one line per problem on stderr, with the nearest known option
/// suggested, and exit code <see cref="ExitCodes.Usage"/> — before anything starts. <c>--help</c> anywhere shows the
/// help (defaults included) and runs nothing.
/// </summary>
public static class CommandLineRun
{
    /// <summary>Parses <paramref name="args"/> against <paramref name="root"/> and invokes the chosen action.</summary>
    public static int Invoke(RootCommand root, IReadOnlyList<string> args, string program, TextWriter? output = null, TextWriter? errors = null)
    {
        var parsed = root.Parse(args);
        errors ??= Console.Error;
        if (parsed.Errors.Count > 0 && !AskedForHelp(parsed))
            return Report(parsed, program, errors);
        return parsed.Invoke(Configuration(output, errors));
    }

    /// <summary>The async twin of <see cref="Invoke"/>, for actions that await.</summary>
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, string program, TextWriter? output = null,
        TextWriter? errors = null, CancellationToken cancellationToken = default)
    {
        var parsed = root.Parse(args);
        errors ??= Console.Error;
        if (parsed.Errors.Count > 0 && !AskedForHelp(parsed))
            return Report(parsed, program, errors);
        return await parsed.InvokeAsync(Configuration(output, errors), cancellationToken);
    }

    /// <summary>Each program handles SIGINT/SIGTERM itself (the server's staged shutdown, the engine's "stop and still
    /// write the reports"), so System.CommandLine must not cut the process short on them.</summary>
    private static InvocationConfiguration Configuration(TextWriter? output, TextWriter errors) =>
        new() { Output = output ?? Console.Out, Error = errors, ProcessTerminationTimeout = null };

    /// <summary>The problems of a parse, one line each, unknown options with the nearest known one.</summary>
    public static IReadOnlyList<string> Problems(ParseResult parsed)
    {
        var known = KnownNames(parsed.CommandResult.Command).ToArray();
        var lines = new List<string>();
        var unmatched = parsed.UnmatchedTokens.ToHashSet(StringComparer.Ordinal);
        foreach (var error in parsed.Errors)
        {
            string message = error.Message;
            // "Unrecognized command or argument '--prot'." — say which option was meant, when one is close.
            string? token = unmatched.FirstOrDefault(t => message.Contains($"'{t}'", StringComparison.Ordinal));
            if (token is not null && token.StartsWith('-'))
            {
                string? nearest = Suggestions.Nearest(token.Split('=')[0], known);
                message = $"unknown option '{token}'" + (nearest is null ? "" : $" (did you mean {nearest}?)");
            }
            else if (token is not null)
            {
                message = $"unexpected argument '{token}'";
            }
            if (!lines.Contains(message)) lines.Add(message);
        }
        return lines;
    }

    private static int Report(ParseResult parsed, string program, TextWriter errors)
    {
        var problems = Problems(parsed);
        // A value after an unknown option ("--prot 7000") is reported as a second unexpected argument: the first
        // problem is the one to fix, the rest are its echo.
        var shown = problems.Where((p, i) => i == 0 || !p.StartsWith("unexpected argument", StringComparison.Ordinal)).ToArray();
        for (int i = 0; i < shown.Length; i++)
            errors.WriteLine($"{program}: {shown[i]}" + (i == shown.Length - 1 ? " (see --help)" : ""));
        return ExitCodes.Usage;
    }

    private static bool AskedForHelp(ParseResult parsed) =>
        parsed.Tokens.Any(t => t.Value is "--help" or "-h" or "-?");

    private static IEnumerable<string> KnownNames(Command command)
    {
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            foreach (var option in c.Options)
            {
                if (c != command && !option.Recursive) continue;
                yield return option.Name;
                foreach (var alias in option.Aliases) yield return alias;
            }
            foreach (var sub in c.Subcommands) yield return sub.Name;
        }
    }
}

/// <summary>"Did you mean": the known name nearest to a mistyped one, by edit distance.</summary>
public static class Suggestions
{
    /// <summary>The nearest of <paramref name="known"/> within a distance a typo explains (a third of the length,
    /// at least 2), or null.</summary>
    public static string? Nearest(string typed, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var name in known)
        {
            int d = Distance(typed.ToLowerInvariant(), name.ToLowerInvariant());
            if (d < bestDistance) (best, bestDistance) = (name, d);
        }
        int allowed = Math.Max(2, typed.TrimStart('-').Length / 3);
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>Damerau–Levenshtein (optimal string alignment): a swap of two neighbours counts as one edit.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
