using System.Buffers;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Replies;

/// <summary>
/// Collects a multi-line reply for one client (WHOIS, LUSERS, NAMES, a MODE list ...) and hands it over in one
/// <see cref="ClientSession.Send"/>. Every line stays within 512 bytes; word lists (353 nicks, 319 channels, 303
/// nicks) are packed into as many lines as they need, each repeating its fixed parameters.
/// </summary>
internal sealed class ReplyBuffer
{
    private readonly ClientSession _client;
    private readonly ArrayBufferWriter<byte> _output;
    private readonly byte[] _words = new byte[IrcLimits.MaxLineBytes];
    private int _wordsHeader = -1;
    private int _wordsLength;
    private bool _wordsHasWord;
    private byte _separator = (byte)' ';

    public ReplyBuffer(ClientSession client, int initialCapacity = 1024)
    {
        _client = client;
        _output = new ArrayBufferWriter<byte>(initialCapacity);
    }

    /// <summary>The source of the numerics.</summary>
    public string ServerName => _client.Network.ServerName;

    /// <summary>The addressee of the numerics: the client's nick, or <c>*</c> before it has one.</summary>
    public string Nick => _client.Identity.NickOrStar;

    /// <summary>Lines written so far.</summary>
    public int Lines { get; private set; }

    /// <summary>
    /// <c>:server numeric nick params...</c>, like <see cref="ClientSession.SendNumeric"/>: the last parameter is
    /// written as trailing when needed, the others are made safe as middle parameters.
    /// </summary>
    public void Numeric(string numeric, params ReadOnlySpan<string> parameters)
    {
        var line = StartLine(numeric);
        for (int i = 0; i < parameters.Length; i++)
        {
            if (i == parameters.Length - 1)
                line.AppendLastParameter(parameters[i]);
            else
                line.AppendParameter(AsMiddleParameter(parameters[i]));
        }
        _output.Advance(line.Complete());
        Lines++;
        if (IsProtocolError(numeric))
            _client.Network.Metrics.ProtocolError();
    }

    /// <summary>
    /// Error numerics (4xx/5xx) count as protocol errors in the metrics, except 422 ERR_NOMOTD, which every
    /// client of a server without a MOTD gets on registration.
    /// </summary>
    public static bool IsProtocolError(string numeric) => numeric[0] is '4' or '5' && numeric != IrcNumerics.ErrNoMotd;

    /// <summary>
    /// Starts a word list: <c>:server numeric nick middle... :word word ...</c>. Add words with
    /// <see cref="Word(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>, end with <see cref="EndWords"/>.
    /// </summary>
    public void StartWords(string numeric, params ReadOnlySpan<string> middle)
    {
        var line = new IrcLineBuilder(_words);
        line.AppendSource(_client.Network.ServerName);
        line.AppendCommand(numeric);
        line.AppendParameter(_client.Identity.NickOrStar);
        foreach (string parameter in middle)
            line.AppendParameter(AsMiddleParameter(parameter));
        line.AppendTrailing(""u8);
        _wordsHeader = _wordsLength = line.Length;
        _wordsHasWord = false;
        _separator = (byte)' ';
    }

    /// <summary>Like <see cref="StartWords"/>, for the lists IRCv3 separates with commas (MONITOR's 730–732).</summary>
    public void StartCommaList(string numeric)
    {
        StartWords(numeric);
        _separator = (byte)',';
    }

    /// <summary>Adds one word (written as <paramref name="prefix"/> then <paramref name="word"/>), starting a new line when it would not fit.</summary>
    public void Word(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> word)
    {
        if (_wordsHeader < 0)
            throw new InvalidOperationException("StartWords first.");
        int needed = prefix.Length + word.Length + (_wordsHasWord ? 1 : 0);
        if (_wordsHasWord && _wordsLength + needed > IrcLimits.MaxLineBodyBytes)
        {
            FlushWords();
            needed--;
        }
        if (_wordsLength + needed > IrcLimits.MaxLineBodyBytes)
            return; // a single word longer than a line (cannot happen with our length limits): dropped, not split
        if (_wordsHasWord)
            _words[_wordsLength++] = _separator;
        prefix.CopyTo(_words.AsSpan(_wordsLength));
        _wordsLength += prefix.Length;
        word.CopyTo(_words.AsSpan(_wordsLength));
        _wordsLength += word.Length;
        _wordsHasWord = true;
    }

    /// <inheritdoc cref="Word(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
    public void Word(string word) => Word(default, System.Text.Encoding.UTF8.GetBytes(word));

    /// <summary>Ends the word list; <paramref name="evenIfEmpty"/> writes the header line alone when no word came.</summary>
    public void EndWords(bool evenIfEmpty = false)
    {
        if (_wordsHasWord || evenIfEmpty)
            FlushWords();
        _wordsHeader = -1;
    }

    /// <summary>Bytes written so far, a word list in progress included.</summary>
    public int WrittenBytes => _output.WrittenCount + (_wordsHeader >= 0 && _wordsHasWord ? _wordsLength + 2 : 0);

    /// <summary>
    /// Replies up to this size go out in one send whatever the client's backlog (a welcome burst, WHOIS, a MONITOR
    /// notice to another client); longer ones are streamed as the client reads (<see cref="ReplyStream"/>).
    /// </summary>
    public const int DirectSendBytes = 4096;

    /// <summary>
    /// Queues everything written for the client: as one send when short, otherwise streamed under the client's
    /// backpressure so that its own reply never costs it the connection. A long reply is only ever built by the
    /// client's own command (it is streamed through the client's own session).
    /// </summary>
    public void Send()
    {
        if (Lines == 0)
            return;
        if (_output.WrittenCount <= DirectSendBytes)
            SendNow();
        else
            _client.Reply(new PrebuiltReply(_output.WrittenMemory));
    }

    /// <summary>Queues everything written for the client as one send, whatever its size: one part of a stream.</summary>
    public void SendNow()
    {
        if (Lines > 0)
            _client.Send(_output.WrittenMemory, Lines);
    }

    private IrcLineBuilder StartLine(string numeric)
    {
        var line = new IrcLineBuilder(_output.GetSpan(IrcLimits.MaxLineBytes));
        line.AppendSource(_client.Network.ServerName);
        line.AppendCommand(numeric);
        line.AppendParameter(_client.Identity.NickOrStar);
        return line;
    }

    private void FlushWords()
    {
        Span<byte> destination = _output.GetSpan(_wordsLength + 2);
        _words.AsSpan(0, _wordsLength).CopyTo(destination);
        destination[_wordsLength] = (byte)'\r';
        destination[_wordsLength + 1] = (byte)'\n';
        _output.Advance(_wordsLength + 2);
        Lines++;
        _wordsLength = _wordsHeader;
        _wordsHasWord = false;
    }

    /// <summary>
    /// Middle parameters often echo what the client sent ("403 &lt;name&gt;"), which may be empty or hold a space
    /// when it came as a trailing parameter; either would shift every later parameter of the reply.
    /// </summary>
    public static string AsMiddleParameter(string parameter)
    {
        if (parameter.Length == 0)
            return "*";
        if (parameter[0] == ':' || parameter.Contains(' '))
            return parameter.TrimStart(':').Replace(' ', '_') is { Length: > 0 } cleaned ? cleaned : "*";
        return parameter;
    }
}
