using System.Net;
using System.Net.Sockets;
using ChatLoad.LoadClient;
using ChatLoad.LoadClient.Tests.Support;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadClient.Tests;

public sealed class IrcLoadClientTests : IAsyncLifetime
{
    private readonly ScriptedIrcServer _server = new();
    private readonly RecordingObserver _observer = new();
    private IrcLoadClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = new IrcLoadClient(7, "tester7", new IrcLoadClientOptions
        {
            Server = _server.EndPoint,
            Observer = _observer,
            ResponseTimeout = TimeSpan.FromSeconds(5),
            QuitTimeout = TimeSpan.FromSeconds(1),
        });
        await _client.ConnectAsync(CancellationToken.None);
        await _server.AcceptAsync();
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Registers_with_NICK_and_USER_and_completes_on_001()
    {
        var registering = _client.RegisterAsync(CancellationToken.None);

        Assert.Equal("NICK tester7", await _server.ReadLineAsync());
        Assert.StartsWith("USER tester7 ", await _server.ReadLineAsync());
        Assert.False(registering.IsCompleted);
        await _server.SendAsync(":srv 001 tester7 :Welcome\r\n");
        await registering;
        Assert.True(_client.IsRegistered);
    }

    [Fact]
    public async Task Part_completes_on_the_servers_echo_of_its_own_PART_not_on_another_members()
    {
        var parting = _client.PartAsync("#lobby", CancellationToken.None);

        Assert.Equal("PART #lobby", await _server.ReadLineAsync());
        await _server.SendAsync(":someone!u@h PART #lobby\r\n");
        await Task.Delay(100);
        Assert.False(parting.IsCompleted);
        await _server.SendAsync(":TESTER7!tester7@127.0.0.1 PART #lobby :bye\r\n");
        await parting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_delivery_ledger_as_the_observer_counts_what_the_client_receives()
    {
        await using var server = new ScriptedIrcServer();
        var metrics = new RecordingMetrics();
        var ledger = new DeliveryLedger(metrics, TimeProvider.System, receiverCount: 8);
        await using var receiver = new IrcLoadClient(3, "bob3", new IrcLoadClientOptions { Server = server.EndPoint, Observer = ledger });
        await receiver.ConnectAsync(CancellationToken.None);
        await server.AcceptAsync();

        ledger.RecordSent(3);
        await server.SendAsync(":alice!a@h PRIVMSG #lobby :5 1 1 xx\r\n:alice!a@h PRIVMSG #lobby :5 0 1\r\n:alice!a@h PRIVMSG #lobby :5 0 1\r\n");
        for (int i = 0; i < 500 && ledger.Delivered + ledger.Duplicates < 3; i++) await Task.Delay(10);

        Assert.Equal((2, 1, 1), (ledger.Delivered, ledger.OutOfOrder, ledger.Duplicates));
        Assert.Equal(1, await ledger.SettleLossAsync(TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(2, metrics.Latencies(ChatMetricNames.EndToEndLatency).Count);
    }

    [Fact]
    public async Task A_nick_in_use_fails_registration_with_that_status()
    {
        var registering = _client.RegisterAsync(CancellationToken.None);
        await _server.ReadLineAsync();
        await _server.SendAsync(":srv 433 * tester7 :Nickname is already in use\r\n");

        var e = await Assert.ThrowsAsync<LoadClientException>(() => registering);
        Assert.Equal("nick in use", e.Status);
    }

    [Fact]
    public async Task Server_full_is_reported_as_such_and_the_close_is_seen()
    {
        var registering = _client.RegisterAsync(CancellationToken.None);
        await _server.SendAsync("ERROR :Server full\r\n");
        _server.CloseConnection();

        var e = await Assert.ThrowsAsync<LoadClientException>(() => registering);
        Assert.Equal(FailureReasons.ServerFull, e.Status);
        await _client.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(FailureReasons.ServerFull, _client.CloseStatus);
        Assert.False(_client.ClosedByClient);
        Assert.Equal([FailureReasons.ServerFull], _observer.Closed);
    }

    [Fact]
    public async Task A_server_that_closes_after_SendQ_exceeded_gives_that_status()
    {
        await _server.SendAsync("ERROR :SendQ exceeded\r\n");
        _server.CloseConnection();

        await _client.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(FailureReasons.SendQueueExceeded, _client.CloseStatus);
    }

    [Fact]
    public async Task A_plain_close_is_closed()
    {
        _server.CloseConnection();
        await _client.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(FailureReasons.Closed, _client.CloseStatus);
    }

    [Fact]
    public async Task Answers_the_servers_PING_with_the_same_token()
    {
        await _server.SendAsync("PING :abc123\r\n");
        Assert.Equal("PONG :abc123", await _server.ReadLineAsync());
    }

    [Fact]
    public async Task Chat_lines_split_at_every_byte_arrive_whole_and_in_order()
    {
        await _server.SendByteByByteAsync(":a!a@h PRIVMSG #r :1 0 5 xx\r\n:b!b@h PRIVMSG tester7 :2 0 6\n");

        Assert.True(await RecordingObserver.EventuallyAsync(() => _observer.Messages.Count == 2));
        Assert.Equal(["1 0 5 xx", "2 0 6"], _observer.Messages);
    }

    [Fact]
    public async Task Many_lines_in_one_read_and_a_line_across_reads_are_all_handled()
    {
        var lines = string.Concat(Enumerable.Range(0, 200).Select(i => $":a!a@h PRIVMSG #r :{i} 0 0 padding-padding-padding\r\n"));
        int cut = lines.Length / 2 + 7;
        await _server.SendAsync(lines[..cut]);
        await Task.Delay(50);
        await _server.SendAsync(lines[cut..]);

        Assert.True(await RecordingObserver.EventuallyAsync(() => _observer.Messages.Count == 200));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"{i} 0 0 padding-padding-padding"), _observer.Messages);
    }

    [Fact]
    public async Task An_over_long_line_is_dropped_and_the_next_line_still_parses()
    {
        await _server.SendAsync(":a PRIVMSG #r :" + new string('z', 3000) + "\r\n:a PRIVMSG #r :1 2 3\r\n");

        Assert.True(await RecordingObserver.EventuallyAsync(() => _observer.Messages.Count >= 1));
        await Task.Delay(100);
        Assert.Equal(["1 2 3"], _observer.Messages);
    }

    [Fact]
    public async Task Join_completes_on_366_for_that_channel_only()
    {
        var joining = _client.JoinAsync("#room", CancellationToken.None);
        Assert.Equal("JOIN #room", await _server.ReadLineAsync());
        await _server.SendAsync(":srv 366 tester7 #other :End of /NAMES list.\r\n");
        await Task.Delay(50);
        Assert.False(joining.IsCompleted);
        await _server.SendAsync(":tester7!u@h JOIN #room\r\n:srv 353 tester7 = #room :tester7\r\n:srv 366 tester7 #ROOM :End of /NAMES list.\r\n");
        await joining.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_join_refused_by_a_numeric_fails_with_it()
    {
        var joining = _client.JoinAsync("#room", CancellationToken.None);
        await _server.ReadLineAsync();
        await _server.SendAsync(":srv 405 tester7 #room :You have joined too many channels\r\n");

        var e = await Assert.ThrowsAsync<LoadClientException>(() => joining);
        Assert.Equal("numeric 405", e.Status);
    }

    [Fact]
    public async Task Ping_waits_for_the_PONG_with_its_own_number()
    {
        var ping = _client.PingAsync(41, CancellationToken.None);
        Assert.Equal("PING 41", await _server.ReadLineAsync());
        await _server.SendAsync(":srv PONG srv :40\r\n");
        await Task.Delay(50);
        Assert.False(ping.IsCompleted);
        await _server.SendAsync(":srv PONG srv 41\r\n");
        await ping.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([40L, 41L], _observer.Pongs);
    }

    [Fact]
    public async Task A_second_ping_while_one_waits_is_refused_as_busy()
    {
        var first = _client.PingAsync(1, CancellationToken.None);
        var e = await Assert.ThrowsAsync<LoadClientException>(() => _client.PingAsync(2, CancellationToken.None));
        Assert.Equal("busy", e.Status);
        await _server.ReadLineAsync();
        await _server.SendAsync("PONG srv 1\r\n");
        await first.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Chat_messages_carry_id_sequence_and_timestamp_and_concurrent_sends_never_interleave()
    {
        var sends = Enumerable.Range(0, 50).Select(_ => _client.SendChatMessageAsync("#room", 100, CancellationToken.None).AsTask());
        await Task.WhenAll(sends);

        for (int i = 0; i < 50; i++)
        {
            var parts = (await _server.ReadLineAsync()).Split(' ');
            Assert.Equal(["PRIVMSG", "#room", ":7", i.ToString()], parts[..4]);
            Assert.True(long.TryParse(parts[4], out _));
            Assert.Equal(new string('x', 100), parts[5]);
        }
        Assert.Equal(50, _client.SentMessages);
    }

    [Fact]
    public async Task Quit_sends_QUIT_and_is_clean_when_the_server_closes()
    {
        var quitting = _client.QuitAsync("bye");
        Assert.Equal("QUIT :bye", await _server.ReadLineAsync());
        await _server.SendAsync("ERROR :Closing link\r\n");
        _server.CloseConnection();

        Assert.True(await quitting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(_client.ClosedByClient);
        Assert.Equal("quit", _client.CloseStatus);
    }

    [Fact]
    public async Task Quit_gives_up_after_its_timeout_when_the_server_does_not_close()
    {
        Assert.False(await _client.QuitAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.NotNull(_client.CloseStatus);
    }

    [Fact]
    public async Task Sending_after_the_connection_ended_fails_with_the_close_status()
    {
        _server.CloseConnection();
        await _client.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        var e = await Assert.ThrowsAsync<LoadClientException>(() => _client.SendChatMessageAsync("#r", 0, CancellationToken.None).AsTask());
        Assert.Equal(FailureReasons.Closed, e.Status);
    }

    [Fact]
    public async Task A_paused_client_stops_reading_until_resumed()
    {
        _client.PauseReading();
        // A read already waiting when the pause came may still take this line; then the loop stops at the pause.
        await _server.SendAsync(":a PRIVMSG #r :0 0 0\r\n");
        Assert.True(await RecordingObserver.EventuallyAsync(() => _client.IsWaitingAtPause));
        int readBeforePause = _observer.Messages.Count;

        await _server.SendAsync(":a PRIVMSG #r :0 1 0\r\n:a PRIVMSG #r :0 2 0\r\n");
        await Task.Delay(200);
        Assert.Equal(readBeforePause, _observer.Messages.Count);

        _client.ResumeReading();
        Assert.True(await RecordingObserver.EventuallyAsync(() => _observer.Messages.Count == 3));
    }
}

public sealed class LoadClientConnectTests
{
    [Fact]
    public async Task Connecting_to_a_closed_port_fails_as_refused()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var client = new IrcLoadClient(0, "x", new IrcLoadClientOptions { Server = new IPEndPoint(IPAddress.Loopback, port) });

        var e = await Assert.ThrowsAsync<LoadClientException>(() => client.ConnectAsync(CancellationToken.None));
        Assert.Equal(FailureReasons.Refused, e.Status);
    }

    [Fact]
    public async Task A_client_can_bind_a_chosen_loopback_source_address()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var source = IPAddress.Parse("127.0.0.2");
        await using var client = new IrcLoadClient(0, "x", new IrcLoadClientOptions { Server = (IPEndPoint)listener.LocalEndpoint }, source);

        await client.ConnectAsync(CancellationToken.None);
        using var accepted = await listener.AcceptSocketAsync();

        Assert.Equal(source, ((IPEndPoint)accepted.RemoteEndPoint!).Address);
    }

    [Theory]
    [InlineData(100, 0, 0)]
    [InlineData(60_000, 0, 3)]
    [InlineData(10, 4, 4)]
    public void Source_addresses_spread_clients_round_robin(int clients, int asked, int expectedAddresses)
    {
        var plan = SourceAddressPlan.For(new IPEndPoint(IPAddress.Loopback, 6667), clients, asked);
        Assert.Equal(expectedAddresses, plan.AddressCount);
        if (expectedAddresses > 1)
        {
            Assert.Equal(IPAddress.Parse("127.0.0.1"), plan.For(0));
            Assert.Equal(IPAddress.Parse("127.0.0.2"), plan.For(1));
            Assert.Equal(IPAddress.Parse("127.0.0.1"), plan.For(expectedAddresses));
        }
        else
        {
            Assert.Null(plan.For(0));
        }
    }

    [Fact]
    public void Spreading_over_source_addresses_needs_a_loopback_target()
    {
        Assert.Throws<ArgumentException>(() => SourceAddressPlan.For(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 6667), 10, 2));
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused, "refused")]
    [InlineData(SocketError.ConnectionReset, "reset")]
    [InlineData(SocketError.TimedOut, "timeout")]
    [InlineData(SocketError.AddressNotAvailable, "no local port")]
    [InlineData(SocketError.TooManyOpenSockets, "fd limit")]
    public void Socket_errors_map_to_report_statuses(SocketError error, string status)
    {
        Assert.Equal(status, FailureReasons.Classify(new SocketException((int)error)));
    }
}
