using System.Net;
using System.Text.Unicode;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Capabilities;
using ChatLoad.Server.Collections;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Users;
using ChatLoad.Server.Chat.Limits;
using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Chat.Sessions;

/// <summary>
/// The chat core's side of one connection: it receives the transport's lines in order, hands each to the
/// command table, and holds what the client is (identity, registration, channels, liveness).
/// </summary>
/// <remarks>
/// Transports call <see cref="OnLine"/> for one connection from one thread at a time; the session's gate only
/// orders a disconnect that a transport might report from another thread against a line still being handled.
/// No other session ever takes this lock, so handlers can lock channels inside it without a lock cycle. It is
/// re-entrant, so a close requested from inside a command (QUIT) may report the disconnect on the same thread.
/// The gate is the session object's own monitor (<c>lock (this)</c>; nothing outside this class locks a session):
/// uncontended it lives in the object header, where a <see cref="Lock"/> field was a 32-byte object per client.
/// </remarks>
internal sealed class ClientSession : IConnectionSession, IntrusiveList<ClientSession>.IMember
{
    /// <summary>What a client that sent more than flood control holds for it is told before it is closed.</summary>
    public const string ExcessFloodReason = "Excess flood";

    private volatile ClientIdentity _identity;
    private ReplyStream? _replies; // created by the first reply that has to wait; touched only under the gate
    private volatile string? _awayMessage;
    private int _modes;
    private int _capabilities;
    private long _lastSpokeAt;
    private string? _closeReason;
    private int _departed;

    // Per-client limits (ChatLimits): mutable structs, touched only under the gate. _held exists once the client
    // first went over its flood burst.
    private FloodControl _flood;
    private HeldInput? _held;
    private TokenBucket _nickChanges;
    private TokenBucket _joinsAndParts;

    private IntrusiveList<ClientSession>.Links _tableLinks; // its place in the network's SessionTable

    ref IntrusiveList<ClientSession>.Links IntrusiveList<ClientSession>.IMember.Links => ref _tableLinks;

    public ClientSession(ChatNetwork network, IClientConnection connection)
    {
        Network = network;
        Connection = connection;
        _identity = new ClientIdentity(null, null, null, HostOf(connection.RemoteEndPoint));
        _liveness = new ConnectionLiveness(network.Time);
        _lastSpokeAt = network.Time.GetTimestamp();
        ChatLimits limits = network.Limits;
        if (limits.Flood is not null)
            _flood = new FloodControl(limits.Flood);
        _nickChanges = new TokenBucket(limits.NickChanges);
        _joinsAndParts = new TokenBucket(limits.JoinsAndParts);
    }

    public ChatNetwork Network { get; }
    public IClientConnection Connection { get; }
    public long Id => Connection.Id;
    // The session's small parts live inside it as structs, reached by reference: each as an object of its own cost
    // a header and a reference (measured at 19,000 idle clients: 3.1 KB RSS per client, 2 KiB the target).
    private Registration _registration = new();
    private ConnectionLiveness _liveness;
    private ClientChannels _channels = new();
    private PendingInvites _invites = new();

    public ref Registration Registration => ref _registration;
    public ref ConnectionLiveness Liveness => ref _liveness;
    public bool IsRegistered => _registration.IsComplete;

    /// <summary>True once <see cref="Depart"/> ran: the client is out of every channel and holds no nick.</summary>
    public bool HasDeparted => Volatile.Read(ref _departed) != 0;

    /// <summary>Read from any thread; replaced (never mutated) by NICK and USER.</summary>
    public ClientIdentity Identity
    {
        get => _identity;
        set => _identity = value;
    }

    /// <summary>The channels this client is in (a snapshot any thread may read).</summary>
    public ref ClientChannels Channels => ref _channels;

    /// <summary>Channels this client was invited to and has not joined yet.</summary>
    public ref PendingInvites Invites => ref _invites;

    /// <summary>User modes (+i +o +w +B). Only the client's own command handling changes them; any thread reads.</summary>
    public UserModes Modes => (UserModes)Volatile.Read(ref _modes);

    /// <summary>True for an IRC operator (user mode +o).</summary>
    public bool IsOperator => (Modes & UserModes.Operator) != 0;

    /// <summary>True for a bot (user mode +B).</summary>
    public bool IsBot => (Modes & UserModes.Bot) != 0;

    /// <summary>The away message, or null when the client is here (AWAY).</summary>
    public string? AwayMessage
    {
        get => _awayMessage;
        set => _awayMessage = value;
    }

    /// <summary>The IRCv3 capabilities this client enabled with CAP REQ.</summary>
    public ClientCapabilities Capabilities => (ClientCapabilities)Volatile.Read(ref _capabilities);

    public bool Has(ClientCapabilities capability) => (Capabilities & capability) == capability;

    /// <summary>When registration completed (WHOIS 317's signon time); default until then.</summary>
    public DateTimeOffset SignedOnAt => new(_signedOnUtcTicks, TimeSpan.Zero);

    private long _signedOnUtcTicks; // UTC ticks, not a DateTimeOffset: 8 bytes per session instead of 16

    /// <summary>Seconds since the client last sent PRIVMSG or NOTICE (WHOIS 317's idle time).</summary>
    public long IdleSeconds => (long)Network.Time.GetElapsedTime(Volatile.Read(ref _lastSpokeAt)).TotalSeconds;

    /// <summary>
    /// Called when the client talks: idle time counts from here, as in other servers (PINGs do not reset it). Takes
    /// the line's arrival time the liveness check already read, so the send path does not read the clock again.
    /// </summary>
    public void RecordSpoke() => Volatile.Write(ref _lastSpokeAt, Liveness.LastActivity);

    /// <summary>Replaces the user modes and keeps the LUSERS counts in step. Own command handling only.</summary>
    public void SetModes(UserModes modes)
    {
        UserModes before = Modes;
        if (before == modes)
            return;
        Volatile.Write(ref _modes, (int)modes);
        if (IsRegistered)
            Network.Counts.OnModesChanged(before, modes);
    }

    /// <summary>
    /// Replaces the enabled capability set (CAP REQ). Own command handling only. When the tags this client wants on
    /// relays change, its channels learn of it (their fan-out skips capability checks while nobody wants tags).
    /// </summary>
    public void SetCapabilities(ClientCapabilities capabilities)
    {
        ClientCapabilities before = Capabilities;
        Volatile.Write(ref _capabilities, (int)capabilities);
        if (((before ^ capabilities) & ClientCapabilities.TagsOnRelays) == 0)
            return;
        foreach (Membership membership in Channels)
            membership.Channel.OnCapabilitiesChanged(this);
    }

    /// <summary>Registration completed: counted for LUSERS, signon time set.</summary>
    public void OnRegistered()
    {
        _signedOnUtcTicks = Network.Time.GetUtcNow().UtcTicks;
        Volatile.Write(ref _lastSpokeAt, Network.Time.GetTimestamp());
        Network.Counts.OnRegistered(Modes);
    }

    /// <summary>Nick changes left (NickChangeBurst); used by NICK under this session's lock.</summary>
    public ref TokenBucket NickChanges => ref _nickChanges;

    /// <summary>Joins and parts left (JoinPartBurst); used by JOIN and PART under this session's lock.</summary>
    public ref TokenBucket JoinsAndParts => ref _joinsAndParts;

    /// <summary>Lines held by flood control now (0 when it is off or the client keeps to its rate).</summary>
    public int HeldLineCount
    {
        get
        {
            lock (this)
                return _held?.Count ?? 0;
        }
    }

    public void OnLine(ReadOnlySpan<byte> line)
    {
        Liveness.RecordActivity(Network.Time);
        Network.Metrics.LineReceived();
        if (!IrcMessage.TryParse(line, out _))
            return; // an empty line or one with only tags/source: servers ignore it silently (and it costs no flood budget)

        lock (this)
        {
            if (!IsOpenForInput)
                return; // QUIT or a close already took this client out (or is taking it); later lines mean nothing
            if (Network.Limits.Flood is not null && !PassesFloodControl(line))
                return;
            Handle(line);
        }
    }

    // Under the gate. True: handle the line now. False: it was held for later, or the client is being closed.
    private bool PassesFloodControl(ReadOnlySpan<byte> line)
    {
        FloodDecision decision = _flood.Touch(Network.Time.GetTimestamp());
        switch (decision.Verdict)
        {
            case FloodVerdict.Go:
                return true;
            case FloodVerdict.Wait:
                _held ??= new HeldInput(Network.Time, static state => ((ClientSession)state!).RunHeldLines(), this);
                _held.Hold(line, decision.NotBefore);
                Network.Metrics.LineThrottled();
                // Throttled: this client's socket is not read until the held line's time, in both models, so what it
                // sends meanwhile waits in the kernel and TCP pushes back on the flooder alone. One with more lines
                // waiting than FloodMaxQueuedLines (held, or received and not yet handled), or pushing more than
                // FloodMaxUnreadBytes against TCP, is not pasting, it is flooding: close it.
                Connection.PauseInputUntil(decision.NotBefore);
                if (_held.Count + Connection.UnreadInputLines > Network.Limits.Flood!.MaxQueuedLines
                    || Connection.UnreadInputBytes > Network.Limits.FloodMaxUnreadBytes)
                {
                    Network.Metrics.FloodDisconnected();
                    CloseWith(ExcessFloodReason);
                }
                return false;
            default:
                Network.Metrics.FloodDisconnected();
                CloseWith(ExcessFloodReason);
                return false;
        }
    }

    // The held-line timer: runs every line whose time has come, in arrival order, then re-arms for the next.
    private void RunHeldLines()
    {
        lock (this)
        {
            HeldInput? held = _held;
            if (held is null)
                return;
            while (IsOpenForInput && held.TryTakeDue(out byte[] line))
            {
                _flood.Release();
                Handle(line);
            }
            if (IsOpenForInput)
                held.ArmForNext();
            else
                DropHeldLines(); // closing: what is held will never run, and a due line must not re-arm the timer
                                 // over and over until the transport reports the disconnect (found by the fuzzer)
        }
    }

    private void DropHeldLines()
    {
        _held?.Dispose();
        _held = null;
    }

    // Neither departed nor asked to close: lines from this client still mean something.
    private bool IsOpenForInput => Volatile.Read(ref _departed) == 0 && Volatile.Read(ref _closeReason) is null;

    // Under the gate: one line that passed flood control.
    private void Handle(ReadOnlySpan<byte> line)
    {
        if (!IrcMessage.TryParse(line, out IrcMessage message))
            return;
        if (Network.Limits.EnforceUtf8 && !Utf8.IsValid(line))
        {
            // ergo's enforce-utf8: refused whole, never relayed, and the sender is told why — with the standard reply
            // the UTF8ONLY specification names (ircv3.net/specs/extensions/utf8-only), so clients know what happened.
            SendFail(message.CommandName is { Length: > 0 } command ? command : "*", "INVALID_UTF8", "Message rejected for containing invalid UTF-8");
            return;
        }
        try
        {
            RunLabeled(message);
        }
        catch (Exception ex)
        {
            // A bug in one handler must not take the connection (or the transport's read loop) down with it.
            ChatLog.CommandFailed(Network.Logger, ex, Id, message.CommandName);
        }
    }

    public void OnLineTooLong()
    {
        Liveness.RecordActivity(Network.Time);
        SendNumeric(IrcNumerics.ErrInputTooLong, "Input line was too long");
    }

    public void OnInputResumed()
    {
        lock (this)
        {
            if (Volatile.Read(ref _departed) != 0)
                return;
            if (_held is { Count: > 0 })
                RunHeldLines(); // a flood-control pause ended: the held lines that are due go before the next line
            _replies?.Continue(this);
        }
    }

    public void OnDisconnected(string reason)
    {
        lock (this)
        {
            Depart(Volatile.Read(ref _closeReason) ?? reason);
            _replies?.Clear();
        }
        Network.Sessions.Remove(this);
    }

    /// <summary>
    /// Queues complete lines for this client (one <see cref="IClientConnection.Send"/>): the path of every reply
    /// to the client's own commands, so a labeled command's replies can be collected (labeled-response).
    /// </summary>
    public void Send(ReadOnlyMemory<byte> lines, int lineCount = 1)
    {
        LabeledReply? label = _label;
        if (label is not null && label.OwnerThread == Environment.CurrentManagedThreadId)
            label.Add(lines.Span);
        else
            Connection.Send(lines);
        Network.Metrics.LinesQueued(lineCount);
    }

    /// <summary>A line another client caused (a relay), in the form this client's capabilities ask for. Not counted:
    /// fan-out callers count their recipients in one go.</summary>
    public void Deliver(ref RelayedMessage message)
    {
        ReadOnlyMemory<byte> bytes = message.For(Capabilities);
        if (!bytes.IsEmpty)
            Connection.Send(bytes);
    }

    /// <summary>A relayed line that this client caused itself (its JOIN, its echo-message copy): a reply, so it is
    /// labeled like one, and counted.</summary>
    public void Echo(ref RelayedMessage message)
    {
        ReadOnlyMemory<byte> bytes = message.For(Capabilities);
        if (!bytes.IsEmpty)
            Send(bytes);
    }

    // Set only while this client's own labeled command runs (labeled-response).
    private LabeledReply? _label;

    private void RunLabeled(in IrcMessage message)
    {
        if (!Has(ClientCapabilities.LabeledResponse) || !IrcTags.TryGet(message.Tags, "label"u8, out ReadOnlySpan<byte> label) || label.IsEmpty)
        {
            Network.Commands.Dispatch(this, message);
            return;
        }
        var collector = new LabeledReply(System.Text.Encoding.UTF8.GetString(label), Environment.CurrentManagedThreadId, Has(ClientCapabilities.Batch));
        _label = collector;
        try
        {
            Network.Commands.Dispatch(this, message);
        }
        finally
        {
            _label = null;
            Connection.Send(collector.Finish(Network.ServerName, Network.NextMessageId()));
        }
    }

    /// <summary>
    /// Sends a reply to this client's own command that may be longer than its SendQ takes at once (NAMES, WHO,
    /// MOTD ...): written as the client reads it, after any such reply still waiting (see <see cref="ReplyStream"/>).
    /// Call only from this session's command handling.
    /// </summary>
    public void Reply(StreamedReply reply)
    {
        lock (this)
            ReplyStream.Send(this, ref _replies, reply);
    }

    /// <summary>
    /// Sends <c>:server numeric nick params...</c>; the last parameter is written as trailing when needed.
    /// Error numerics count as protocol errors (<see cref="ReplyBuffer.IsProtocolError"/>). Safe from any thread:
    /// another client's command (MONITOR notices) sends this client numerics too.
    /// </summary>
    public void SendNumeric(string numeric, params ReadOnlySpan<string> parameters)
    {
        Span<byte> buffer = stackalloc byte[IrcLimits.MaxLineBytes];
        var line = new IrcLineBuilder(buffer);
        line.AppendSource(Network.ServerName);
        line.AppendCommand(numeric);
        line.AppendParameter(Identity.NickOrStar);
        for (int i = 0; i < parameters.Length; i++)
        {
            if (i == parameters.Length - 1)
                line.AppendLastParameter(parameters[i]);
            else
                line.AppendParameter(ReplyBuffer.AsMiddleParameter(parameters[i]));
        }
        Send(line.ToArray());
        if (ReplyBuffer.IsProtocolError(numeric))
            Network.Metrics.ProtocolError();
    }

    /// <summary>An IRCv3 standard reply: <c>:server FAIL &lt;command&gt; &lt;code&gt; :&lt;description&gt;</c>; counted as a protocol error.</summary>
    public void SendFail(string command, string code, string description)
    {
        Span<byte> buffer = stackalloc byte[IrcLimits.MaxLineBytes];
        var line = new IrcLineBuilder(buffer);
        line.AppendSource(Network.ServerName);
        line.AppendCommand("FAIL");
        line.AppendParameter(ReplyBuffer.AsMiddleParameter(command));
        line.AppendParameter(code);
        line.AppendTrailing(description);
        Send(line.ToArray());
        Network.Metrics.ProtocolError();
    }

    /// <summary>
    /// Asks the transport to send <c>ERROR :reason</c> and close. The reason is kept so that the QUIT members see
    /// says why (e.g. "Ping timeout"), whatever the transport reports later. Idempotent.
    /// </summary>
    public void CloseWith(string reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
            return;
        ChatLog.ClosingConnection(Network.Logger, Id, Identity.NickOrStar, reason);
        Connection.Close(reason);
    }

    /// <summary>
    /// Takes the client out of every channel (members see QUIT once each) and frees its nick. Runs exactly once,
    /// whether QUIT, a timeout, a close or the transport's disconnect comes first.
    /// </summary>
    public void Depart(string reason)
    {
        lock (this)
        {
            if (Interlocked.Exchange(ref _departed, 1) != 0)
                return;
            DropHeldLines();
            ClientIdentity identity = Identity;
            ChannelDeparture.QuitAll(this, reason);
            Network.Monitors.OnSignedOff(this);
            if (identity.Nick is not null)
                Network.Nicks.Release(identity.Nick, this);
            Network.Counts.OnDeparted(IsRegistered, Modes);
            if (IsRegistered)
            {
                Network.Metrics.ClientUnregistered();
                Network.Whowas.Record(WhowasEntryOf(identity));
            }
            ChatLog.ClientDeparted(Network.Logger, Id, identity.NickOrStar, reason);
        }
    }

    /// <summary>How this client's current identity is remembered for WHOWAS.</summary>
    public WhowasEntry WhowasEntryOf(ClientIdentity identity) =>
        new(identity.Nick ?? "*", identity.UserName ?? "~user", identity.Host, identity.RealName ?? "", Network.Time.GetUtcNow());

    public override string ToString() => $"{Id} {Identity.PrefixText}";

    private static string HostOf(EndPoint? endPoint)
    {
        string host = endPoint switch
        {
            IPEndPoint ip => ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4().ToString() : ip.Address.ToString(),
            null => "unknown",
            _ => endPoint.ToString() ?? "unknown",
        };
        // "::1" would read as a trailing parameter in WHO replies; servers write it "0::1".
        return host.StartsWith(':') ? "0" + host : host.Replace(' ', '_');
    }
}
