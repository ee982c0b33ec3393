namespace ChatLoad.LoadEngine;

/// <summary>
/// Offers an assembly's scenarios to a runner that loads it with <c>--assembly path/to/MyScenarios.dll</c>: make a
/// public class with a parameterless constructor implement it. The same class can feed the assembly's own
/// <c>Program.cs</c>: <c>LoadTestRunner.RegisterScenarios(new MyScenarios().GetScenarios()).Run(args)</c>.
/// </summary>
public interface IScenarioProvider
{
    /// <summary>The scenarios; names must be unique across everything a run loads.</summary>
    IEnumerable<ScenarioFactory> GetScenarios();
}
