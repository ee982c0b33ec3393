using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace ChatLoad.Server.Tests.Infrastructure;

/// <summary>
/// A minimal IRC client over a real loopback socket, for tests. It reads only when asked (so a client that
/// never calls a Read/Expect method is a client that stops reading — a slow consumer).
/// <list type="bullet">
/// <item><see cref="SendLineAsync"/> adds CRLF; <see cref="SendRawAsync"/> sends bytes as they are.</item>
/// <item><see cref="ReadLineAsync"/> returns the next line (CR/LF stripped), null at end of stream, and throws
/// <see cref="TimeoutException"/> when none comes in time.</item>
/// <item><see cref="ExpectAsync(Func{string, bool}, string, TimeSpan?)"/> skips lines until one matches; its
/// failure message lists what was skipped.</item>
/// <item><see cref="Received"/> holds every line read so far.</item>
/// </list>
/// </summary>
public sealed class TestIrcClient : IAsyncDisposable
{
    /// <summary>How long reads wait by default: generous, the machine is shared and noisy.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly Socket _socket;
    private readonly SslStream? _tls; // set for a client of the TLS port: every read and write goes through it
    private readonly List<string> _received = [];
    private byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;
    private bool _eof;

    private TestIrcClient(Socket socket, SslStream? tls = null)
    {
        _socket = socket;
        _tls = tls;
    }

    /// <summary>The nick given to <see cref="RegisterAsync"/>.</summary>
    public string? Nick { get; private set; }

    /// <summary>The underlying socket (e.g. to shrink buffers or close abruptly).</summary>
    public Socket Socket => _socket;

    /// <summary>Every line read so far, in order.</summary>
    public IReadOnlyList<string> Received => _received;

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>.</summary>
    /// <param name="receiveBufferBytes">SO_RCVBUF to set before connecting: small values make a non-reading
    /// client fill up quickly (slow-consumer tests).</param>
    public static Task<TestIrcClient> ConnectAsync(int port, int? receiveBufferBytes = null) =>
        ConnectAsync(IPAddress.Loopback, port, receiveBufferBytes);

    /// <summary>Connects to <paramref name="address"/>:<paramref name="port"/> (another loopback address such as 127.0.0.2).</summary>
    /// <param name="source">The local address to connect from (127.0.0.2 ...: another client address for per-address limits).</param>
    public static async Task<TestIrcClient> ConnectAsync(IPAddress address, int port, int? receiveBufferBytes = null, IPAddress? source = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferBytes is { } size)
            socket.ReceiveBufferSize = size;
        if (source is not null)
            socket.Bind(new IPEndPoint(source, 0));
        try
        {
            using var cts = new CancellationTokenSource(DefaultTimeout);
            await socket.ConnectAsync(new IPEndPoint(address, port), cts.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new TestIrcClient(socket);
    }

    /// <summary>
    /// Connects to the TLS port 127.0.0.1:<paramref name="port"/> and completes the handshake, accepting the server's
    /// certificate whatever it is (the server's self-signed one, generated at start).
    /// </summary>
    public static async Task<TestIrcClient> ConnectTlsAsync(int port, IPAddress? source = null)
    {
        TestIrcClient plain = await ConnectAsync(IPAddress.Loopback, port, source: source).ConfigureAwait(false);
        var tls = new SslStream(new NetworkStream(plain._socket, ownsSocket: false), leaveInnerStreamOpen: true,
            userCertificateValidationCallback: static (_, _, _, _) => true);
        try
        {
            using var cts = new CancellationTokenSource(DefaultTimeout);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, cts.Token).ConfigureAwait(false);
        }
        catch
        {
            tls.Dispose();
            plain._socket.Dispose();
            throw;
        }
        return new TestIrcClient(plain._socket, tls);
    }

    /// <summary>The TLS session of a client made by <see cref="ConnectTlsAsync"/>; null for a plain one.</summary>
    public SslStream? Tls => _tls;

    /// <summary>Sends <paramref name="line"/> + CRLF.</summary>
    public Task SendLineAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

    /// <summary>Sends the bytes exactly as given (partial lines, bare LF, invalid UTF-8, megabytes ...).</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        using var cts = new CancellationTokenSource(DefaultTimeout);
        while (!bytes.IsEmpty)
        {
            if (_tls is not null)
            {
                await _tls.WriteAsync(bytes, cts.Token).ConfigureAwait(false);
                return;
            }
            int sent = await _socket.SendAsync(bytes, SocketFlags.None, cts.Token).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Next line without CR/LF; null when the server closed the connection (FIN or reset).</summary>
    /// <exception cref="TimeoutException">No complete line within <paramref name="timeout"/>.</exception>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            int lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                int length = lf - _start;
                if (length > 0 && _buffer[lf - 1] == (byte)'\r')
                    length--;
                string line = Encoding.UTF8.GetString(_buffer, _start, length);
                _start = lf + 1;
                _received.Add(line);
                return line;
            }
            if (_eof)
                return null;

            MakeRoom();
            int n;
            try
            {
                n = _tls is null
                    ? await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cts.Token).ConfigureAwait(false)
                    : await _tls.ReadAsync(_buffer.AsMemory(_end), cts.Token).ConfigureAwait(false);
            }
            catch (IOException) when (_tls is not null)
            {
                n = 0; // a reset under TLS
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no line within {timeout ?? DefaultTimeout}; last lines: {Tail()}");
            }
            catch (SocketException)
            {
                n = 0; // reset by the server counts as closed
            }
            if (n == 0)
                _eof = true;
            _end += n;
        }
    }

    /// <summary>Reads until a line matches <paramref name="match"/> and returns it; lines before it are skipped.</summary>
    /// <param name="description">What was expected, for the failure message.</param>
    /// <exception cref="TimeoutException">Nothing matched in time.</exception>
    /// <exception cref="IOException">The server closed the connection first.</exception>
    public async Task<string> ExpectAsync(Func<string, bool> match, string description = "a matching line", TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? DefaultTimeout;
        DateTime deadline = DateTime.UtcNow + limit;
        int skippedFrom = _received.Count;
        while (true)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"expected {description} within {limit}; skipped: {Skipped(skippedFrom)}");
            string? line;
            try
            {
                line = await ReadLineAsync(left).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"expected {description} within {limit}; skipped: {Skipped(skippedFrom)}");
            }
            if (line is null)
                throw new IOException($"connection closed while expecting {description}; skipped: {Skipped(skippedFrom)}");
            if (match(line))
                return line;
        }
    }

    /// <summary>Waits for a line whose command or numeric is <paramref name="command"/> (e.g. "001", "JOIN", "ERROR").</summary>
    public Task<string> ExpectCommandAsync(string command, TimeSpan? timeout = null) =>
        ExpectAsync(line => string.Equals(CommandOf(line), command, StringComparison.OrdinalIgnoreCase), command, timeout);

    /// <summary>Sends NICK and USER (PASS first when given), waits for 001 and the end of the MOTD (376 or 422).</summary>
    public async Task RegisterAsync(string nick, string? password = null)
    {
        Nick = nick;
        if (password is not null)
            await SendLineAsync("PASS " + password).ConfigureAwait(false);
        await SendLineAsync("NICK " + nick).ConfigureAwait(false);
        await SendLineAsync($"USER {nick} 0 * :Test {nick}").ConfigureAwait(false);
        await ExpectCommandAsync("001").ConfigureAwait(false);
        await ExpectAsync(line => CommandOf(line) is "376" or "422", "end of MOTD (376/422)").ConfigureAwait(false);
    }

    /// <summary>Joins <paramref name="channel"/> and waits for the end of its NAMES list (366).</summary>
    public async Task JoinAsync(string channel)
    {
        await SendLineAsync("JOIN " + channel).ConfigureAwait(false);
        await ExpectCommandAsync("366").ConfigureAwait(false);
    }

    /// <summary>
    /// Reads (and records) until the server closes the connection. True when it closed within
    /// <paramref name="timeout"/>, false when it was still open.
    /// </summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                return false;
            try
            {
                if (await ReadLineAsync(left).ConfigureAwait(false) is null)
                    return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }

    /// <summary>The command (or numeric) of a raw line: the first word, or the second when the line has a :source (tags skipped).</summary>
    public static string CommandOf(string line)
    {
        if (line.StartsWith('@'))
            line = line.IndexOf(' ') is int space and > 0 ? line[(space + 1)..] : ""; // IRCv3 tags come first
        string[] words = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
            return "";
        return words[0].StartsWith(':') ? (words.Length > 1 ? words[1] : "") : words[0];
    }

    public ValueTask DisposeAsync()
    {
        _tls?.Dispose();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private void MakeRoom()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2); // a test server may send a long line
    }

    private string Skipped(int from) =>
        _received.Count == from ? "(nothing)" : string.Join(" | ", _received.Skip(from).TakeLast(10));

    private string Tail() => _received.Count == 0 ? "(none)" : string.Join(" | ", _received.TakeLast(5));
}
