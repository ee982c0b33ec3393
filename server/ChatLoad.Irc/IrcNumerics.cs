namespace ChatLoad.Irc;

/// <summary>The numeric replies this project sends or reads (RFC 2812 §5, modern.ircdocs.horse).</summary>
public static class IrcNumerics
{
    public const string RplWelcome = "001";
    public const string RplYourHost = "002";
    public const string RplCreated = "003";
    public const string RplMyInfo = "004";
    public const string RplISupport = "005";
    public const string RplUModeIs = "221";
    public const string RplTryAgain = "263";
    public const string RplEndOfWho = "315";
    public const string RplChannelModeIs = "324";
    public const string RplNoTopic = "331";
    public const string RplTopic = "332";
    public const string RplTopicWhoTime = "333";
    public const string RplWhoReply = "352";
    public const string RplNamReply = "353";
    public const string RplEndOfNames = "366";
    public const string RplMotd = "372";
    public const string RplMotdStart = "375";
    public const string RplEndOfMotd = "376";
    public const string ErrUnknownError = "400";
    public const string ErrNoSuchNick = "401";
    public const string ErrNoSuchChannel = "403";
    public const string ErrCannotSendToChan = "404";
    public const string ErrTooManyChannels = "405";
    public const string ErrTooManyTargets = "407";
    public const string ErrNoOrigin = "409";
    public const string ErrInvalidCapCmd = "410";
    public const string ErrNoRecipient = "411";
    public const string ErrNoTextToSend = "412";
    public const string ErrInputTooLong = "417";
    public const string ErrUnknownCommand = "421";
    public const string ErrNoMotd = "422";
    public const string ErrNoNicknameGiven = "431";
    public const string ErrErroneousNickname = "432";
    public const string ErrNicknameInUse = "433";
    public const string ErrUnavailResource = "437";
    public const string ErrNickTooFast = "438";
    public const string ErrNotOnChannel = "442";
    public const string ErrNotRegistered = "451";
    public const string ErrNeedMoreParams = "461";
    public const string ErrAlreadyRegistered = "462";
    public const string ErrPasswdMismatch = "464";
    public const string ErrChanOPrivsNeeded = "482";
    public const string ErrUModeUnknownFlag = "501";
    public const string ErrUsersDontMatch = "502";
}
