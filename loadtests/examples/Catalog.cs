using ChatLoad.LoadEngine;

namespace MyScenarios;

/// <summary>This project's scenarios. Being an <see cref="IScenarioProvider"/> is what lets ChatLoad's runner load
/// them with <c>--assembly MyScenarios.dll</c>; Program.cs registers the same list.</summary>
public sealed class Catalog : IScenarioProvider
{
    public IEnumerable<ScenarioFactory> GetScenarios() =>
    [
        // Shaped by the settings: --clients are IRC connections, --rate is not used.
        LobbyScenario.Factory,
        // Built in code, NBomber's way: --clients N becomes KeepConstant(N), --rate R Inject(R/s), --target the "target" setting.
        ScenarioFactory.From(EchoScenario.Create()),
    ];
}
