"""The IRC subset both Python reference servers speak: parsing, registration, channels, messages.

No sockets here. A transport (threads_server.py, asyncio_server.py) owns each connection, hands every complete line
to ``Network.handle_line`` and calls ``Network.disconnect`` once when the connection ends. In return the core calls
``client.send(data)``, which must never block (the transport queues the bytes, bounded, and drops a client whose
queue overflows), and ``client.close_after(data)``, which sends a last line and closes.

So the two servers behave identically and differ only in their connection model, as ChatLoad's own two modes do.
Each relayed line is built once and the same bytes object is queued to every recipient.

What the subset covers is what ChatLoad's load suite sends and waits for (loadtests/ChatLoad.LoadTests/Client):
CAP LS/REQ/LIST/END, PASS (ignored), NICK, USER (001-004, 005, 422), PING/PONG, JOIN (JOIN, 332, 353, 366), PART,
PRIVMSG/NOTICE to a channel or a nick, NAMES, TOPIC, MODE (queries), QUIT. Left out on purpose: channel modes and
operators, WHO/WHOIS, server-initiated PINGs and registration timeouts (a dead peer is noticed when TCP says so).
"""

import argparse
import sys
import time

#: Longest line including CRLF (RFC 1459). A longer line is answered with 417 and dropped.
MAX_LINE_BYTES = 512
#: Longest nick (ChatLoad's NICKLEN): the load suite's nicks are a 5-letter run prefix and a client number.
NICK_LENGTH = 30
#: Longest channel name (ChatLoad's CHANNELLEN).
CHANNEL_LENGTH = 50
#: Most channels one client may be in (ChatLoad's CHANLIMIT): the slow-consumer scenario joins up to 50.
MAX_CHANNELS_PER_CLIENT = 100
#: Outbound backlog per client before it is dropped (ChatLoad's --send-queue-bytes, ergo's max-sendq).
SEND_QUEUE_BYTES = 65536

# rfc1459 casemapping: A-Z and []\~ fold to a-z and {}|^.
_FOLD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ[]\\~", b"abcdefghijklmnopqrstuvwxyz{}|^")
_NICK_FIRST = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz[\\]^_`{|}")
_NICK_REST = _NICK_FIRST | frozenset(b"0123456789-")
_CHANNEL_FORBIDDEN = frozenset(b" ,\x07\x00\r\n:")


def fold(name):
    return name.translate(_FOLD)


def valid_nick(nick):
    return 0 < len(nick) <= NICK_LENGTH and nick[0] in _NICK_FIRST and all(b in _NICK_REST for b in nick[1:])


def valid_channel(name):
    if not 2 <= len(name) <= CHANNEL_LENGTH or name[0] != 0x23 or any(b in _CHANNEL_FORBIDDEN for b in name):
        return False
    try:
        name.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def parse(line):
    """``b"@tags :prefix CMD a b :trailing"`` -> ``(b"CMD", [b"a", b"b", b"trailing"])``; None for an empty line."""
    if line.startswith(b"@"):
        _, _, line = line.partition(b" ")
    if line.startswith(b":"):
        _, _, line = line.partition(b" ")
    line = line.lstrip(b" ")
    if not line:
        return None
    head, sep, trailing = line.partition(b" :")
    words = head.split()
    if not words:
        return None
    params = words[1:]
    if sep:
        params.append(trailing)
    return words[0].upper(), params


def run_server(description, default_name, serve):
    """The command line both servers share: --port, --bind, --name; ``serve(bind, port, name)`` runs until a signal
    ends it. Exit code 0 after SIGTERM/SIGINT, 1 when the address cannot be bound, 2 for bad arguments (argparse)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--port", type=int, default=6667)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--name", default=default_name, help="server name in replies")
    args = parser.parse_args()
    try:
        serve(args.bind, args.port, args.name)
    except OSError as error:
        print(f"cannot listen on {args.bind}:{args.port}: {error}", file=sys.stderr)
        return 1
    return 0


class LineReader:
    """Frames a byte stream into lines (CRLF or bare LF). The unfinished rest is kept up to MAX_LINE_BYTES; past that
    the line is discarded as it arrives, so a peer streaming megabytes without a newline costs no memory, and is
    reported once, as None, so the server can answer 417."""

    __slots__ = ("_rest", "_discarding")

    def __init__(self):
        self._rest = b""
        self._discarding = False

    def feed(self, data):
        *lines, rest = (self._rest + data).split(b"\n") if self._rest else data.split(b"\n")
        out = []
        for line in lines:
            if self._discarding:
                self._discarding = False  # the end of the over-long line: already reported
                continue
            out.append(line[:-1] if line.endswith(b"\r") else line)
        if len(rest) > MAX_LINE_BYTES:
            if not self._discarding:
                out.append(None)
            self._discarding = True
            rest = b""
        self._rest = rest
        return out


class Client:
    """What the core knows of one connection. A transport subclasses it and implements send and close_after."""

    def __init__(self, host):
        self.host = host
        self.nick = None
        self.folded_nick = None
        self.user = None
        self.registered = False
        self.cap_negotiating = False
        self.channels = {}  # folded name -> Channel
        self.prefix = None  # b"nick!user@host", once registered

    def send(self, data):
        raise NotImplementedError

    def close_after(self, data):
        raise NotImplementedError


class Channel:
    __slots__ = ("name", "members", "topic")

    def __init__(self, name):
        self.name = name
        self.members = {}  # Client -> None: insertion-ordered set
        self.topic = None

    def broadcast(self, line, skip=None):
        for member in self.members:
            if member is not skip:
                member.send(line)


class Network:
    """Every nick and channel of one server, and the command handlers."""

    def __init__(self, server_name="python.local", network_name="ChatLoad", version="chatload-python"):
        self.name = server_name.encode()
        self.network_name = network_name.encode()
        self.version = version.encode()
        self.created = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()).encode()
        self.nicks = {}  # folded nick -> Client
        self.channels = {}  # folded name -> Channel
        self._handlers = {
            b"CAP": self._cap, b"PASS": self._ignore, b"NICK": self._nick, b"USER": self._user,
            b"PING": self._ping, b"PONG": self._ignore, b"QUIT": self._quit, b"JOIN": self._join,
            b"PART": self._part, b"PRIVMSG": self._privmsg, b"NOTICE": self._notice, b"NAMES": self._names,
            b"TOPIC": self._topic, b"MODE": self._mode,
        }
        self._before_registration = {b"CAP", b"PASS", b"NICK", b"USER", b"PING", b"PONG", b"QUIT"}

    # -- replies ---------------------------------------------------------------------------------------------------

    def numeric(self, client, code, *params):
        """``:server CODE nick params... :last``; the last parameter always goes as trailing."""
        target = client.nick or b"*"
        middle = b" ".join(params[:-1])
        return b":%s %s %s %s%s:%s\r\n" % (self.name, code, target, middle, b" " if middle else b"", params[-1])

    def reply(self, client, code, *params):
        client.send(self.numeric(client, code, *params))

    # -- entry points for transports -------------------------------------------------------------------------------

    def handle_line(self, client, line):
        """One line from ``client``; None stands for a line that was too long (see LineReader)."""
        if line is None or len(line) > MAX_LINE_BYTES - 2:
            self.reply(client, b"417", b"Input line was too long")
            return
        message = parse(line)
        if message is None:
            return
        command, params = message
        handler = self._handlers.get(command)
        if handler is None:
            if client.registered:
                self.reply(client, b"421", command, b"Unknown command")
            return
        if not client.registered and command not in self._before_registration:
            self.reply(client, b"451", b"You have not registered")
            return
        handler(client, params)

    def disconnect(self, client, reason=b"Connection closed"):
        """The connection is gone: forget the client and tell its channels. Safe to call more than once."""
        if client.folded_nick is not None and self.nicks.get(client.folded_nick) is client:
            del self.nicks[client.folded_nick]
        if client.channels:
            quit_line = b":%s QUIT :%s\r\n" % (client.prefix, reason)
            told = set()
            for channel in client.channels.values():
                channel.members.pop(client, None)
                for member in channel.members:
                    if member not in told:
                        told.add(member)
                        member.send(quit_line)
                if not channel.members:
                    self.channels.pop(fold(channel.name), None)
            client.channels = {}

    # -- registration ------------------------------------------------------------------------------------------------

    def _ignore(self, client, params):
        pass

    def _cap(self, client, params):
        sub = params[0].upper() if params else b""
        if sub == b"LS":
            if not client.registered:
                client.cap_negotiating = True
            client.send(b":%s CAP %s LS :\r\n" % (self.name, client.nick or b"*"))
        elif sub == b"LIST":
            client.send(b":%s CAP %s LIST :\r\n" % (self.name, client.nick or b"*"))
        elif sub == b"REQ":
            if not client.registered:
                client.cap_negotiating = True
            client.send(b":%s CAP %s NAK :%s\r\n" % (self.name, client.nick or b"*", params[-1] if len(params) > 1 else b""))
        elif sub == b"END":
            client.cap_negotiating = False
            self._maybe_welcome(client)
        else:
            self.reply(client, b"410", sub or b"*", b"Invalid CAP command")

    def _nick(self, client, params):
        if not params or not params[0]:
            self.reply(client, b"431", b"No nickname given")
            return
        nick = params[0]
        if not valid_nick(nick):
            self.reply(client, b"432", nick, b"Erroneous nickname")
            return
        folded = fold(nick)
        holder = self.nicks.get(folded)
        if holder is not None and holder is not client:
            self.reply(client, b"433", nick, b"Nickname is already in use")
            return
        if client.folded_nick is not None and self.nicks.get(client.folded_nick) is client:
            del self.nicks[client.folded_nick]
        self.nicks[folded] = client
        if client.registered:
            line = b":%s NICK :%s\r\n" % (client.prefix, nick)
            told = {client}
            client.send(line)
            for channel in client.channels.values():
                for member in channel.members:
                    if member not in told:
                        told.add(member)
                        member.send(line)
        client.nick, client.folded_nick = nick, folded
        if client.registered:
            client.prefix = b"%s!%s@%s" % (nick, client.user, client.host)
        self._maybe_welcome(client)

    def _user(self, client, params):
        if client.registered:
            self.reply(client, b"462", b"You may not reregister")
            return
        if len(params) < 4 or not params[0]:
            self.reply(client, b"461", b"USER", b"Not enough parameters")
            return
        client.user = params[0][:10]
        self._maybe_welcome(client)

    def _maybe_welcome(self, client):
        if client.registered or client.nick is None or client.user is None or client.cap_negotiating:
            return
        client.registered = True
        client.prefix = b"%s!%s@%s" % (client.nick, client.user, client.host)
        n = self.numeric
        client.send(b"".join([
            n(client, b"001", b"Welcome to the %s IRC Network %s" % (self.network_name, client.prefix)),
            n(client, b"002", b"Your host is %s, running version %s" % (self.name, self.version)),
            n(client, b"003", b"This server was created %s" % self.created),
            b":%s 004 %s %s %s\r\n" % (self.name, client.nick, self.name, self.version),
            b":%s 005 %s CASEMAPPING=rfc1459 CHANTYPES=# NICKLEN=%d CHANNELLEN=%d CHANLIMIT=#:%d NETWORK=%s "
            b":are supported by this server\r\n"
            % (self.name, client.nick, NICK_LENGTH, CHANNEL_LENGTH, MAX_CHANNELS_PER_CLIENT, self.network_name),
            n(client, b"422", b"MOTD File is missing"),
        ]))

    def _ping(self, client, params):
        if not params:
            self.reply(client, b"409", b"No origin specified")
            return
        client.send(b":%s PONG %s :%s\r\n" % (self.name, self.name, params[-1]))

    def _quit(self, client, params):
        reason = b"Quit: " + params[0] if params and params[0] else b"Client Quit"
        self.disconnect(client, reason)
        client.close_after(b"ERROR :Closing link\r\n")

    # -- channels ---------------------------------------------------------------------------------------------------

    def _join(self, client, params):
        if not params:
            self.reply(client, b"461", b"JOIN", b"Not enough parameters")
            return
        if params[0] == b"0":
            for channel in list(client.channels.values()):
                self._leave(client, channel, b"")
            return
        for name in params[0].split(b","):
            if not valid_channel(name):
                self.reply(client, b"403", name or b"*", b"No such channel")
                continue
            folded = fold(name)
            if folded in client.channels:
                continue
            if len(client.channels) >= MAX_CHANNELS_PER_CLIENT:
                self.reply(client, b"405", name, b"You have joined too many channels")
                continue
            channel = self.channels.get(folded)
            if channel is None:
                channel = self.channels[folded] = Channel(name)
            channel.members[client] = None
            client.channels[folded] = channel
            channel.broadcast(b":%s JOIN %s\r\n" % (client.prefix, channel.name))
            if channel.topic is not None:
                self.reply(client, b"332", channel.name, channel.topic)
            self._send_names(client, channel)

    def _send_names(self, client, channel):
        # 353 lines are cut to fit the line limit; the list is built once per reply, so a JOIN costs O(members).
        head = b":%s 353 %s = %s :" % (self.name, client.nick, channel.name)
        room = MAX_LINE_BYTES - 2 - len(head)
        lines, current, size = [], [], 0
        for member in channel.members:
            if current and size + 1 + len(member.nick) > room:
                lines.append(head + b" ".join(current) + b"\r\n")
                current, size = [], 0
            current.append(member.nick)
            size += len(member.nick) + (1 if size else 0)
        if current:
            lines.append(head + b" ".join(current) + b"\r\n")
        lines.append(self.numeric(client, b"366", channel.name, b"End of /NAMES list"))
        client.send(b"".join(lines))

    def _leave(self, client, channel, reason):
        line = b":%s PART %s :%s\r\n" % (client.prefix, channel.name, reason) if reason else \
            b":%s PART %s\r\n" % (client.prefix, channel.name)
        channel.broadcast(line)
        del channel.members[client]
        folded = fold(channel.name)
        del client.channels[folded]
        if not channel.members:
            self.channels.pop(folded, None)

    def _part(self, client, params):
        if not params:
            self.reply(client, b"461", b"PART", b"Not enough parameters")
            return
        reason = params[1] if len(params) > 1 else b""
        for name in params[0].split(b","):
            folded = fold(name)
            if folded not in self.channels:
                self.reply(client, b"403", name or b"*", b"No such channel")
            elif folded not in client.channels:
                self.reply(client, b"442", name, b"You're not on that channel")
            else:
                self._leave(client, client.channels[folded], reason)

    def _names(self, client, params):
        if not params:
            self.reply(client, b"366", b"*", b"End of /NAMES list")
            return
        for name in params[0].split(b","):
            channel = self.channels.get(fold(name))
            if channel is None:
                self.reply(client, b"366", name or b"*", b"End of /NAMES list")
            else:
                self._send_names(client, channel)

    def _topic(self, client, params):
        if not params:
            self.reply(client, b"461", b"TOPIC", b"Not enough parameters")
            return
        channel = self.channels.get(fold(params[0]))
        if channel is None:
            self.reply(client, b"403", params[0], b"No such channel")
        elif len(params) == 1:
            if channel.topic is None:
                self.reply(client, b"331", channel.name, b"No topic is set")
            else:
                self.reply(client, b"332", channel.name, channel.topic)
        elif client not in channel.members:
            self.reply(client, b"442", channel.name, b"You're not on that channel")
        else:
            channel.topic = params[1] or None
            channel.broadcast(b":%s TOPIC %s :%s\r\n" % (client.prefix, channel.name, params[1]))

    def _mode(self, client, params):
        # Queries only, so that IRC clients are not confused; the subset has no modes to change.
        if not params:
            self.reply(client, b"461", b"MODE", b"Not enough parameters")
        elif params[0].startswith(b"#"):
            channel = self.channels.get(fold(params[0]))
            if channel is None:
                self.reply(client, b"403", params[0], b"No such channel")
            else:
                self.reply(client, b"324", channel.name, b"+")
        elif fold(params[0]) == client.folded_nick:
            self.reply(client, b"221", b"+")
        else:
            self.reply(client, b"502", b"Cannot change mode for other users")

    # -- messages -----------------------------------------------------------------------------------------------------

    def _privmsg(self, client, params):
        self._message(client, params, b"PRIVMSG", errors=True)

    def _notice(self, client, params):
        self._message(client, params, b"NOTICE", errors=False)

    def _message(self, client, params, command, errors):
        if not params or not params[0]:
            if errors:
                self.reply(client, b"411", b"No recipient given (%s)" % command)
            return
        if len(params) < 2 or not params[1]:
            if errors:
                self.reply(client, b"412", b"No text to send")
            return
        text = params[1]
        for target in params[0].split(b","):
            folded = fold(target)
            if target.startswith(b"#"):
                channel = self.channels.get(folded)
                if channel is None:
                    if errors:
                        self.reply(client, b"403", target, b"No such channel")
                elif client not in channel.members:
                    if errors:
                        self.reply(client, b"404", channel.name, b"Cannot send to channel")
                else:
                    # Serialized once; the same bytes go to every other member.
                    channel.broadcast(b":%s %s %s :%s\r\n" % (client.prefix, command, channel.name, text), skip=client)
            else:
                recipient = self.nicks.get(folded)
                if recipient is None or not recipient.registered:
                    if errors:
                        self.reply(client, b"401", target, b"No such nick/channel")
                else:
                    recipient.send(b":%s %s %s :%s\r\n" % (client.prefix, command, recipient.nick, text))
