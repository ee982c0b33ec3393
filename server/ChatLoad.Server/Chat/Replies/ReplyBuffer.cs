using System.Buffers;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Replies;

/// <summary>
/// Collects a multi-line reply for one client (WHOIS, LUSERS, NAMES, a MODE list ...) and hands it over in one
/// <see cref="ClientSession.Send"/>. Every line stays within 512 bytes; word lists (353 nicks, 319 channels, 303
/// nicks) are packed into as many lines as they need, each repeating its fixed parameters.
/// </summary>
/// <remarks>
/// The lines are written into arrays rented from the shared pool and handed over as one exact-size copy: a client
/// queues only the bytes it is sent, and a reply leaves no more garbage than that copy. Before, each reply allocated
/// its own growing buffer and a 512-byte word buffer: 2.5 KB for a 1.2 KB welcome burst, 1.5 KB for a 111-byte NAMES,
/// so a connect storm allocated about 9 KB per client where it now allocates about 6 KB (the server's own
/// gc_allocated_bytes over storms of 15,000; README, "Connect storms").
/// </remarks>
internal sealed class ReplyBuffer
{
    private readonly ClientSession _client;
    private readonly int _initialCapacity;
    private byte[]? _output; // rented; null until the first line and again once sent
    private int _written;
    private byte[]? _words;  // rented by the first word list
    private int _wordsHeader = -1;
    private int _wordsLength;
    private bool _wordsHasWord;
    private byte _separator = (byte)' ';

    public ReplyBuffer(ClientSession client, int initialCapacity = 1024)
    {
        _client = client;
        _initialCapacity = Math.Max(initialCapacity, IrcLimits.MaxLineBytes);
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
        _written += line.Complete();
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
        _words ??= ArrayPool<byte>.Shared.Rent(IrcLimits.MaxLineBytes);
        var line = new IrcLineBuilder(_words.AsSpan(0, IrcLimits.MaxLineBytes));
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
            _words![_wordsLength++] = _separator;
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
    public int WrittenBytes => _written + (_wordsHeader >= 0 && _wordsHasWord ? _wordsLength + 2 : 0);

    /// <summary>
    /// Replies up to this size go out in one send whatever the client's backlog (a welcome burst, WHOIS, a MONITOR
    /// notice to another client); longer ones are streamed as the client reads (<see cref="ReplyStream"/>).
    /// </summary>
    public const int DirectSendBytes = 4096;

    /// <summary>
    /// Queues everything written for the client: as one send when short, otherwise streamed under the client's
    /// backpressure so that its own reply never costs it the connection. A long reply is only ever built by the
    /// client's own command (it is streamed through the client's own session). Afterwards the buffer is empty again.
    /// </summary>
    public void Send()
    {
        if (Lines > 0 && _written > DirectSendBytes)
            _client.Reply(new PrebuiltReply(TakeWritten()));
        else
            SendNow();
    }

    /// <summary>
    /// Queues everything written for the client as one send, whatever its size: one part of a stream. Afterwards the
    /// buffer is empty again.
    /// </summary>
    public void SendNow()
    {
        int lines = Lines;
        if (lines > 0)
            _client.Send(TakeWritten(), lines);
        else
            ReturnBuffers();
    }

    // The lines written, copied out at their exact size (the client's queue keeps them until they are sent); the
    // rented arrays go back to the pool.
    private byte[] TakeWritten()
    {
        byte[] lines = _output.AsSpan(0, _written).ToArray();
        ReturnBuffers();
        return lines;
    }

    private void ReturnBuffers()
    {
        if (_output is not null)
            ArrayPool<byte>.Shared.Return(_output);
        if (_words is not null)
            ArrayPool<byte>.Shared.Return(_words);
        _output = _words = null;
        _written = 0;
        _wordsHeader = -1;
        _wordsLength = 0;
        _wordsHasWord = false;
        Lines = 0;
    }

    // Room for one more line of at most MaxLineBytes at the end of the output, renting a larger array when full.
    private Span<byte> FreeSpace(int needed)
    {
        if (_output is null)
            _output = ArrayPool<byte>.Shared.Rent(Math.Max(_initialCapacity, needed));
        else if (_output.Length - _written < needed)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_output.Length * 2, _written + needed));
            _output.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_output);
            _output = larger;
        }
        return _output.AsSpan(_written, needed);
    }

    private IrcLineBuilder StartLine(string numeric)
    {
        var line = new IrcLineBuilder(FreeSpace(IrcLimits.MaxLineBytes));
        line.AppendSource(_client.Network.ServerName);
        line.AppendCommand(numeric);
        line.AppendParameter(_client.Identity.NickOrStar);
        return line;
    }

    private void FlushWords()
    {
        Span<byte> destination = FreeSpace(_wordsLength + 2);
        _words.AsSpan(0, _wordsLength).CopyTo(destination);
        destination[_wordsLength] = (byte)'\r';
        destination[_wordsLength + 1] = (byte)'\n';
        _written += _wordsLength + 2;
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
