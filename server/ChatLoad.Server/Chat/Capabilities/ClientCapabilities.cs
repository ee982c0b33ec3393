namespace ChatLoad.Server.Chat.Capabilities;

/// <summary>The IRCv3 capabilities this server offers; a client's enabled set is one of these bit sets.</summary>
[Flags]
internal enum ClientCapabilities
{
    None = 0,
    CapNotify = 1 << 0,
    MultiPrefix = 1 << 1,
    UserhostInNames = 1 << 2,
    ServerTime = 1 << 3,
    MessageTags = 1 << 4,
    EchoMessage = 1 << 5,
    AwayNotify = 1 << 6,
    ExtendedJoin = 1 << 7,
    InviteNotify = 1 << 8,
    Batch = 1 << 9,
    LabeledResponse = 1 << 10,
    Setname = 1 << 11,
    ExtendedMonitor = 1 << 12,

    /// <summary>The capabilities that change how lines relayed from other clients are written (tags).</summary>
    TagsOnRelays = ServerTime | MessageTags,
}

/// <summary>One offered capability: its name, its value for <c>CAP LS 302</c>, and its bit.</summary>
internal sealed record OfferedCapability(string Name, ClientCapabilities Flag, string? Value = null);

/// <summary>The capabilities offered in <c>CAP LS</c>, in the order they are listed.</summary>
internal static class CapabilityCatalog
{
    public static IReadOnlyList<OfferedCapability> Offered { get; } =
    [
        new("away-notify", ClientCapabilities.AwayNotify),
        new("batch", ClientCapabilities.Batch),
        new("cap-notify", ClientCapabilities.CapNotify),
        new("echo-message", ClientCapabilities.EchoMessage),
        new("extended-join", ClientCapabilities.ExtendedJoin),
        new("extended-monitor", ClientCapabilities.ExtendedMonitor),
        new("invite-notify", ClientCapabilities.InviteNotify),
        new("labeled-response", ClientCapabilities.LabeledResponse),
        new("message-tags", ClientCapabilities.MessageTags),
        new("multi-prefix", ClientCapabilities.MultiPrefix),
        new("server-time", ClientCapabilities.ServerTime),
        new("setname", ClientCapabilities.Setname),
        new("userhost-in-names", ClientCapabilities.UserhostInNames),
    ];

    private static readonly Dictionary<string, OfferedCapability> ByName =
        Offered.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static OfferedCapability? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The names of the enabled capabilities, space-separated, in catalog order.</summary>
    public static string Names(ClientCapabilities enabled) =>
        string.Join(' ', Offered.Where(c => (enabled & c.Flag) != 0).Select(c => c.Name));
}
