namespace ChatLoad.Server.Chat.Channels;

/// <summary>A channel's topic, who set it and when (for 332/333). Immutable; replaced whole.</summary>
internal sealed record ChannelTopic(string Text, string SetBy, DateTimeOffset SetAt);
