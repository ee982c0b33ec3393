using System.Reflection;
using System.Runtime.Loader;

namespace ChatLoad.LoadEngine;

/// <summary>Loads a scenario assembly and asks its <see cref="IScenarioProvider"/>s for their scenarios.</summary>
internal static class ScenarioAssemblyLoader
{
    public static IReadOnlyList<ScenarioFactory> Load(string path)
    {
        if (!File.Exists(path))
            throw new ScenarioAssemblyException($"--assembly '{path}': no such file (build the project first: dotnet build)");

        Assembly assembly;
        try
        {
            assembly = new ScenarioLoadContext(path).LoadFromAssemblyPath(path);
        }
        catch (BadImageFormatException e)
        {
            throw new ScenarioAssemblyException($"--assembly '{path}' is not a valid .NET assembly: {e.Message}", e);
        }
        catch (Exception e) when (e is FileLoadException or IOException)
        {
            throw new ScenarioAssemblyException($"--assembly '{path}' cannot be loaded: {e.Message}", e);
        }

        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            var cause = e is ReflectionTypeLoadException r ? r.LoaderExceptions.FirstOrDefault(x => x is not null)?.Message ?? e.Message : e.Message;
            throw new ScenarioAssemblyException($"--assembly '{path}': its types cannot be loaded: {cause}", e);
        }

        var providers = types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IScenarioProvider).IsAssignableFrom(t)).ToList();
        if (providers.Count == 0)
        {
            bool referencesOtherEngine = assembly.GetReferencedAssemblies().Any(a => a.Name == typeof(IScenarioProvider).Assembly.GetName().Name)
                && types.Any(t => t.GetInterfaces().Any(i => i.FullName == typeof(IScenarioProvider).FullName));
            throw new ScenarioAssemblyException(referencesOtherEngine
                ? $"--assembly '{path}': its IScenarioProvider comes from another copy of ChatLoad.LoadEngine than this runner's"
                : $"--assembly '{path}' has no public class implementing {nameof(IScenarioProvider)} (see README, \"Write your own scenario\")");
        }

        var factories = new List<ScenarioFactory>();
        foreach (var type in providers)
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
                throw new ScenarioAssemblyException($"--assembly '{path}': {type.FullName} needs a public parameterless constructor");
            try
            {
                var provider = (IScenarioProvider)Activator.CreateInstance(type)!;
                factories.AddRange(provider.GetScenarios());
            }
            catch (Exception e) when (e is not ScenarioAssemblyException)
            {
                var cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                throw new ScenarioAssemblyException($"--assembly '{path}': {type.FullName} failed: {cause.GetType().Name}: {cause.Message}", cause);
            }
        }
        return factories;
    }

    /// <summary>
    /// Resolves a scenario assembly's own dependencies from its folder (its .deps.json), but everything the runner
    /// itself has — the engine, the IRC client library, the framework — from the runner, so that the assembly's
    /// <see cref="IScenarioProvider"/> and <see cref="ScenarioProps"/> are the runner's types, not look-alike copies.
    /// </summary>
    private sealed class ScenarioLoadContext(string path) : AssemblyLoadContext($"scenarios:{Path.GetFileName(path)}")
    {
        private static readonly HashSet<string> RunnerAssemblies = RunnerAssemblyNames();
        private readonly AssemblyDependencyResolver _resolver = new(path);

        protected override Assembly? Load(AssemblyName name)
        {
            if (name.Name is { } simple && RunnerAssemblies.Contains(simple)) return null; // the runner's copy
            return _resolver.ResolveAssemblyToPath(name) is { } file ? LoadFromAssemblyPath(file) : null;
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } file ? LoadUnmanagedDllFromPath(file) : IntPtr.Zero;

        private static HashSet<string> RunnerAssemblyNames()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
                foreach (var file in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                    names.Add(Path.GetFileNameWithoutExtension(file));
            foreach (var loaded in AssemblyLoadContext.Default.Assemblies)
                if (loaded.GetName().Name is { } n) names.Add(n);
            return names;
        }
    }
}
