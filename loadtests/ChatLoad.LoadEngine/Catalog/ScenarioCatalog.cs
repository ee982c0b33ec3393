namespace ChatLoad.LoadEngine;

/// <summary>
/// Every scenario a run can name: the ones registered in code plus those of the assemblies given with
/// <c>--assembly</c>, found by name. One piece, so a load-generator agent finds a plugged-in scenario exactly as the
/// command line does.
/// </summary>
public sealed class ScenarioCatalog
{
    private readonly Dictionary<string, (ScenarioFactory Factory, string Origin)> _byName = new(StringComparer.Ordinal);
    private readonly List<ScenarioFactory> _all = new();

    private ScenarioCatalog() { }

    /// <summary>Every scenario, registered ones first, in the order given.</summary>
    public IReadOnlyList<ScenarioFactory> Scenarios => _all;

    /// <summary>The scenarios of <paramref name="registered"/> and of each assembly in <paramref name="assemblyPaths"/>.</summary>
    /// <exception cref="ScenarioAssemblyException">An assembly is missing, is not a .NET assembly, cannot be loaded,
    /// offers no <see cref="IScenarioProvider"/>, or two scenarios share a name. The message says which and why.</exception>
    public static ScenarioCatalog Create(IEnumerable<ScenarioFactory> registered, IEnumerable<string>? assemblyPaths = null)
    {
        var catalog = new ScenarioCatalog();
        foreach (var factory in registered) catalog.Add(factory, "registered in code");
        foreach (var full in (assemblyPaths ?? []).Select(Path.GetFullPath).Distinct())
        {
            foreach (var factory in ScenarioAssemblyLoader.Load(full)) catalog.Add(factory, Path.GetFileName(full));
        }
        return catalog;
    }

    /// <summary>The scenario named <paramref name="name"/>, or null.</summary>
    public ScenarioFactory? Find(string name) => _byName.TryGetValue(name, out var entry) ? entry.Factory : null;

    private void Add(ScenarioFactory factory, string origin)
    {
        if (string.IsNullOrWhiteSpace(factory.Name))
            throw new ScenarioAssemblyException($"{origin}: a scenario has no name");
        if (_byName.TryGetValue(factory.Name, out var existing))
            throw new ScenarioAssemblyException($"scenario '{factory.Name}' is defined twice ({existing.Origin}; {origin})");
        _byName[factory.Name] = (factory, origin);
        _all.Add(factory);
    }
}

/// <summary>A scenario assembly given with <c>--assembly</c> could not be used; the message says why (exit code 2).</summary>
public sealed class ScenarioAssemblyException(string message, Exception? inner = null) : Exception(message, inner);
