using ChatLoad.LoadEngine;

namespace ChatLoad.LoadTests.Scenarios;

/// <summary>Every chat scenario the suite offers, in the order <c>--list</c> shows them.</summary>
internal static class ChatScenarios
{
    public static IReadOnlyList<ScenarioFactory> All { get; } =
    [
        ConnectStormScenario.Factory,
        IdleHoldScenario.Factory,
        RoomChatScenario.Factory,
        PrivateChatScenario.Factory,
        PingPongScenario.Factory,
        SlowConsumerScenario.Factory,
        ChurnScenario.Factory,
    ];
}
