using System.Text;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using ChatLoad.Server.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>
/// The outbound state machine both transports share (<see cref="TransportConnection"/>), driven as a writer would
/// drive it, on fake time and without a socket: SendQ overflow, close while a write is in flight, the ERROR line
/// then FIN, the close deadline then RST, and the input pause the core asks for.
/// </summary>
public sealed class OutboundStateMachineTests
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public void Overflowing_the_SendQ_drops_the_backlog_and_leaves_only_the_ERROR_line()
    {
        var connection = new ScriptedConnection(sendQueueBytes: 1024);
        connection.Send(Line('a', 600));
        connection.Send(Line('b', 600)); // 1,200 > 1,024

        Assert.Equal(["ERROR :SendQ exceeded"], connection.WriteAll());
        Assert.Equal(ScriptedConnection.Step.SendFin, connection.LastStep);
        Assert.Contains(connection.Log, e => e.Id == 204);
        connection.Send(Line('c', 10));
        Assert.Empty(connection.WriteAll()); // closed: nothing more is accepted
    }

    [Fact]
    public void The_writer_is_woken_once_per_idle_period()
    {
        var connection = new ScriptedConnection();
        connection.Send(Line('a', 10));
        connection.Send(Line('b', 10));
        connection.Send(Line('c', 10));
        Assert.Equal(1, connection.Wakes);

        Assert.Equal(3, connection.WriteAll().Count);
        Assert.Equal(ScriptedConnection.Step.Idle, connection.LastStep);
        connection.Send(Line('d', 10));
        Assert.Equal(2, connection.Wakes);
    }

    [Fact]
    public void A_close_while_a_write_is_in_flight_queues_the_ERROR_after_it_and_FIN_comes_last()
    {
        var connection = new ScriptedConnection();
        connection.Send(Line('a', 100));
        List<string> inFlight = connection.TakeBatch(); // the writer is now writing "aaa..."

        connection.Close("Quit: bye");
        connection.Send(Line('b', 100)); // after the close: dropped
        Assert.Equal(1, connection.Wakes); // the writer is busy: nobody else is woken
        Assert.Equal(100 + 2 + "ERROR :Quit: bye\r\n".Length, connection.QueuedBytes); // in flight + the ERROR line

        connection.Written(inFlight);
        Assert.Equal(["ERROR :Quit: bye"], connection.WriteAll());
        Assert.Equal(ScriptedConnection.Step.SendFin, connection.LastStep);
        Assert.Equal(0, connection.Resets);
    }

    [Fact]
    public void ERROR_then_FIN_then_the_peer_closes_is_a_graceful_close_and_the_deadline_never_fires()
    {
        var connection = new ScriptedConnection();
        connection.Close("Server shutting down");
        Assert.Equal(["ERROR :Server shutting down"], connection.WriteAll());
        Assert.Equal(ScriptedConnection.Step.SendFin, connection.LastStep);
        // For the client the connection is over once ERROR and FIN are out: the session hears it now, not when
        // the peer gets round to closing its side.
        Assert.Equal(["Server shutting down"], connection.Session.Disconnects);
        Assert.Equal(0, connection.Ended);

        connection.EndReadSide("Connection closed by peer");
        connection.Time.Advance(CloseTimeout * 2);

        Assert.Equal(0, connection.Resets);
        Assert.Contains(connection.Log, e => e.Id == 206); // closed gracefully (FIN)
        Assert.Equal(["Server shutting down"], connection.Session.Disconnects); // the close reason, not the transport's
    }

    [Fact]
    public void A_close_the_client_never_reads_is_reset_at_the_deadline()
    {
        var connection = new ScriptedConnection();
        connection.Send(Line('a', 500));
        connection.Close("Ping timeout: 60 seconds");
        connection.TakeBatch(); // the write blocks: the client does not read

        connection.Time.Advance(CloseTimeout - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, connection.Resets);
        connection.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, connection.Resets);

        connection.WriteFailed("OperationAborted"); // the reset fails the blocked write: no second reset
        connection.EndReadSide("Connection aborted");
        Assert.Equal(1, connection.Resets);
        (int Id, string Text) reset = Assert.Single(connection.Log, e => e.Id == 207);
        Assert.Contains("bytes unsent", reset.Text);
        Assert.Equal(["Ping timeout: 60 seconds"], connection.Session.Disconnects);
    }

    [Fact]
    public void A_peer_that_keeps_its_side_open_after_ERROR_and_FIN_is_reset_at_the_deadline()
    {
        var connection = new ScriptedConnection();
        connection.Close("bye");
        connection.WriteAll();
        Assert.Equal(ScriptedConnection.Step.SendFin, connection.LastStep);

        connection.Time.Advance(CloseTimeout);
        connection.EndReadSide("Connection aborted");

        Assert.Equal(1, connection.Resets);
        Assert.Contains(connection.Log, e => e.Id == 212);
    }

    [Fact]
    public void A_failed_write_resets_once_and_the_session_hears_the_write_error()
    {
        var connection = new ScriptedConnection();
        connection.Send(Line('a', 10));
        connection.TakeBatch();
        connection.WriteFailed("ConnectionReset");
        connection.EndReadSide("Connection reset by peer");

        Assert.Equal(1, connection.Resets);
        Assert.Equal(["Write error: ConnectionReset"], connection.Session.Disconnects);
        Assert.Equal(ScriptedConnection.Step.Stop, connection.NextStep());
    }

    [Fact]
    public void The_end_wakes_an_idle_writer_so_it_can_stop_and_is_reported_once()
    {
        var connection = new ScriptedConnection();
        connection.Send(Line('a', 10));
        connection.WriteAll(); // idle now
        int wakes = connection.Wakes;

        connection.EndReadSide("Connection closed by peer");
        connection.EndReadSide("again");

        Assert.Equal(wakes + 1, connection.Wakes);
        Assert.Equal(ScriptedConnection.Step.Stop, connection.NextStep());
        Assert.Equal(["Connection closed by peer"], connection.Session.Disconnects);
        Assert.Equal(1, connection.Ended);
    }

    [Fact]
    public async Task Input_paused_until_drained_resumes_when_the_backlog_falls_to_the_mark()
    {
        var connection = new ScriptedConnection();
        connection.Send(Line('a', 300));
        List<string> first = connection.TakeBatch(); // in flight
        connection.Send(Line('b', 300));
        Assert.False(connection.PauseInputUntilDrained(1000)); // already that low: nothing to wait for
        Assert.True(connection.PauseInputUntilDrained(400));
        Task waiting = connection.WaitWhilePausedAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        connection.Written(first); // 302 left: at most 400
        await waiting.WaitAsync(TimeSpan.FromSeconds(10)); // a TimeoutException fails the test
        Assert.Equal(1, connection.Session.Resumes);
    }

    [Fact]
    public async Task Input_paused_until_a_time_resumes_on_the_injected_clock()
    {
        var connection = new ScriptedConnection();
        connection.PauseInputUntil(connection.Time.GetTimestamp() + (long)(0.5 * connection.Time.TimestampFrequency));
        Assert.True(connection.InputPaused);
        Task waiting = connection.WaitWhilePausedAsync().AsTask();

        connection.Time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(waiting.IsCompleted);
        connection.Time.Advance(TimeSpan.FromMilliseconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10)); // a TimeoutException fails the test
        Assert.Equal(1, connection.Session.Resumes);
        Assert.False(connection.InputPaused);
    }

    [Fact]
    public async Task A_paused_reader_tells_the_session_when_input_resumes_and_a_close_ends_the_pause_for_good()
    {
        var connection = new ScriptedConnection();
        connection.Send(Line('a', 300));
        Assert.True(connection.PauseInputUntilDrained(0));
        Task waiting = connection.WaitWhilePausedAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        connection.WriteAll();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, connection.Session.Resumes);

        connection.PauseInputUntil(connection.Time.GetTimestamp() + connection.Time.TimestampFrequency * 3600);
        Task closing = connection.WaitWhilePausedAsync().AsTask();
        connection.Close("bye");
        await closing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, connection.Session.Resumes); // a close is no resume: no more input is handled
        Assert.True(connection.PauseInputUntilDrained(0)); // closing: input stays off
    }

    [Fact]
    public async Task A_pause_that_is_over_before_the_reader_looks_still_tells_the_session_once()
    {
        var connection = new ScriptedConnection();
        connection.Send(Line('a', 300));
        Assert.True(connection.PauseInputUntilDrained(0));
        connection.WriteAll(); // drained while the read side was still busy with the line that paused it

        Assert.True(connection.InputPaused); // still owed a resume
        await connection.WaitWhilePausedAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, connection.Session.Resumes);
        Assert.False(connection.InputPaused);
        await connection.WaitWhilePausedAsync();
        Assert.Equal(1, connection.Session.Resumes);
    }

    [Fact]
    public void Shutdown_abort_resets_and_says_so()
    {
        var connection = new ScriptedConnection();
        connection.Abort();
        connection.Abort();
        connection.EndReadSide("Connection aborted");

        Assert.Equal(1, connection.Resets);
        Assert.Contains(connection.Log, e => e.Id == 209);
    }

    [Fact]
    public void A_writer_waiting_out_its_window_is_woken_once_a_full_write_is_queued()
    {
        // SendQ 16 KiB: a full write is 4 KiB. The writer wrote and now waits, still active: senders only queue.
        var connection = new ScriptedConnection(sendQueueBytes: 16 * 1024);
        connection.Send(Line('a', 100));
        connection.Written(connection.TakeBatch());
        Assert.True(connection.BeginWindow());
        int wakes = connection.Wakes;
        for (int i = 0; i < 7; i++)
            connection.Send(Line('b', 498)); // 3,500 bytes: less than a full write
        Assert.Equal(wakes, connection.Wakes);

        connection.Send(Line('c', 598)); // 4,100 bytes queued: waiting longer gathers nothing more
        Assert.Equal(wakes + 1, connection.Wakes);
        connection.Send(Line('d', 10));
        Assert.Equal(wakes + 1, connection.Wakes); // woken once; it is the active writer again
        connection.EndWindow();

        // What it takes into one write is capped at a quarter of the SendQ too (the first line always goes).
        Assert.Equal(7, connection.TakeBatch(connection.CoalescedWriteBytesForTest).Count);
    }

    [Fact]
    public void A_writer_waiting_out_its_window_is_woken_by_a_close_and_by_the_end()
    {
        var connection = new ScriptedConnection();
        connection.Send(Line('a', 10));
        connection.Written(connection.TakeBatch());
        Assert.True(connection.BeginWindow());
        int wakes = connection.Wakes;
        connection.Close("Quit: bye");
        Assert.Equal(wakes + 1, connection.Wakes); // the ERROR line is not held back by the window
        connection.EndWindow();
        Assert.False(connection.BeginWindow()); // closing: nothing to wait for

        var ending = new ScriptedConnection();
        ending.Send(Line('a', 10));
        ending.Written(ending.TakeBatch());
        Assert.True(ending.BeginWindow());
        wakes = ending.Wakes;
        ending.EndReadSide("Connection closed by peer");
        Assert.Equal(wakes + 1, ending.Wakes);
    }

    [Fact]
    public void A_window_is_not_begun_when_a_full_write_is_already_queued()
    {
        var connection = new ScriptedConnection(sendQueueBytes: 4096); // a full write: 1 KiB
        connection.Send(Line('a', 10));
        connection.Written(connection.TakeBatch());
        connection.Send(Line('b', 1100));
        Assert.False(connection.BeginWindow());

        var many = new ScriptedConnection();
        many.Send(Line('a', 10));
        many.Written(many.TakeBatch());
        for (int i = 0; i < TransportConnection.MaxSegmentsPerWrite; i++)
            many.Send(Line('x', 1)); // 64 segments: a full write however small they are
        Assert.False(many.BeginWindow());
    }

    private static byte[] Line(char fill, int length) => Encoding.ASCII.GetBytes(new string(fill, length) + "\r\n");

    /// <summary>A <see cref="TransportConnection"/> without a socket: the test plays the writer and the read side.</summary>
    private sealed class ScriptedConnection : TransportConnection
    {
        public enum Step { Write, Idle, SendFin, Stop }

        private readonly List<ArraySegment<byte>> _batch = [];

        protected override int KernelReceiveQueueBytes => 0;

        public ScriptedConnection(int sendQueueBytes = 64 * 1024)
            : this(new FakeTimeProvider(), new CollectingLogger(), sendQueueBytes)
        {
        }

        private ScriptedConnection(FakeTimeProvider time, CollectingLogger logger, int sendQueueBytes)
            : base(null, new TransportContext(
                new ServerOptions { Mode = ConnectionMode.Async, SendQueueBytes = sendQueueBytes, SendTimeout = CloseTimeout },
                new ChatMetrics(), time, logger))
        {
            Time = time;
            Logs = logger;
            Context.ConnectionEnded = _ => Ended++;
            Start(Session);
        }

        public FakeTimeProvider Time { get; }
        private CollectingLogger Logs { get; }
        public List<(int Id, string Text)> Log => Logs.Entries;
        public new RecordingSession Session { get; } = new();
        public int Wakes { get; private set; }
        public int Resets { get; private set; }
        public int Ended { get; private set; }
        public Step LastStep { get; private set; }
        public bool InputPaused => IsInputPaused;

        protected override void StartIo() { }

        protected override void WakeWriter() => Wakes++;

        protected override void ResetSocket() => Resets++;

        /// <summary>Takes one batch as the writer would and returns its lines (empty when there is nothing to write).</summary>
        public List<string> TakeBatch()
        {
            _batch.Clear();
            LastStep = (Step)(int)base.TakeBatch(_batch, out _);
            if (LastStep == Step.SendFin)
                FinSent(); // what a writer does once FIN is out
            return _batch.Select(s => Encoding.ASCII.GetString(s).TrimEnd('\r', '\n')).ToList();
        }

        /// <summary>As <see cref="TakeBatch()"/>, taking about <paramref name="maxBytes"/> at most.</summary>
        public List<string> TakeBatch(int maxBytes)
        {
            _batch.Clear();
            LastStep = (Step)(int)base.TakeBatch(_batch, maxBytes, out _);
            return _batch.Select(s => Encoding.ASCII.GetString(s).TrimEnd('\r', '\n')).ToList();
        }

        public int CoalescedWriteBytesForTest => CoalescedWriteBytes;

        public bool BeginWindow() => BeginWindowWait();

        public void EndWindow() => EndWindowWait();

        public Step NextStep()
        {
            TakeBatch();
            return LastStep;
        }

        public void Written(List<string> lines) => BatchWritten(lines.Sum(l => l.Length + 2));

        /// <summary>The writer drains everything (the client reads it all); returns the lines in order.</summary>
        public List<string> WriteAll()
        {
            var all = new List<string>();
            while (true)
            {
                List<string> lines = TakeBatch();
                if (LastStep != Step.Write)
                    return all;
                Written(lines);
                all.AddRange(lines);
            }
        }

        public new void WriteFailed(string error) => base.WriteFailed(error);

        public void EndReadSide(string reason) => Finish(reason);

        public ValueTask WaitWhilePausedAsync() => WaitWhileInputPausedAsync(Session);
    }

    private sealed class RecordingSession : IConnectionSession
    {
        public List<string> Disconnects { get; } = [];
        public int Resumes { get; private set; }
        public void OnLine(ReadOnlySpan<byte> line) { }
        public void OnLineTooLong() { }
        public void OnInputResumed() => Resumes++;
        public void OnDisconnected(string reason) => Disconnects.Add(reason);
    }

    private sealed class CollectingLogger : ILogger
    {
        public List<(int Id, string Text)> Entries { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
                Entries.Add((eventId.Id, formatter(state, exception)));
        }
    }
}
