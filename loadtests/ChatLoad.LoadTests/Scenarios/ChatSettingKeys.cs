namespace ChatLoad.LoadTests.Scenarios;

/// <summary>
/// Every <c>--set</c> key any chat scenario reads. The engine hands each scenario of a run every <c>--set</c> given,
/// so a key another chat scenario understands is tolerated (ignored) where it does not apply; a key no scenario
/// knows is a typo and an error.
/// </summary>
internal static class ChatSettingKeys
{
    public static readonly string[] All =
    [
        .. CommonChatOptions.Keys, "room-size", "padding", "hold", "messages",
        "slow-fraction", "slow-after", "slow-receive-buffer", "drop-check-timeout",
    ];
}
