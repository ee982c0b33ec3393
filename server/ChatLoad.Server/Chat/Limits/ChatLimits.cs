using ChatLoad.Server.Hosting;

namespace ChatLoad.Server.Chat.Limits;

/// <summary>
/// The per-client and server-wide limits of the chat core, read once from <see cref="ServerOptions"/> (where each
/// one's default and reason are documented) and converted to the units the checks use.
/// </summary>
internal sealed class ChatLimits
{
    public ChatLimits(ServerOptions options, TimeProvider time)
    {
        Flood = options.FloodControl
            ? FloodSettings.Create(options.FloodBurstLines, options.FloodLinesPerSecond, options.FloodCooldown, options.FloodMaxQueuedLines, time)
            : null;
        NickChanges = RateSettings.Create(options.NickChangeBurst, options.NickChangeInterval, time);
        JoinsAndParts = RateSettings.Create(options.JoinPartBurst, options.JoinPartInterval, time);
        FloodMaxUnreadBytes = options.FloodMaxUnreadBytes;
        MaxTargets = options.MaxTargets;
        MaxChannels = options.MaxChannels;
        EnforceUtf8 = options.EnforceUtf8;
    }

    /// <summary>Null when flood control is off.</summary>
    public FloodSettings? Flood { get; }

    /// <summary>Unread input a throttled client may push against TCP before it is closed (ServerOptions.FloodMaxUnreadBytes).</summary>
    public int FloodMaxUnreadBytes { get; }

    public RateSettings NickChanges { get; }
    public RateSettings JoinsAndParts { get; }

    /// <summary>Distinct targets per PRIVMSG/NOTICE (TARGMAX, MAXTARGETS).</summary>
    public int MaxTargets { get; }

    /// <summary>Channels on the whole server.</summary>
    public int MaxChannels { get; }

    /// <summary>Refuse lines that are not UTF-8 (UTF8ONLY).</summary>
    public bool EnforceUtf8 { get; }
}
