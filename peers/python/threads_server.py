#!/usr/bin/python3
"""The IRC subset (ircsubset.py) on Python threads: the thread-per-client model, blocking sockets.

Per client one reader thread that blocks in recv() and handles each line. Sending is the part a thread-per-client
server must get right, since the thread that handles a line writes to other clients' sockets:
- when nothing is queued for the recipient, the sender tries the write at once with MSG_DONTWAIT (the one call that
  does not block: if the kernel buffer has room, as it almost always does, the line leaves with no thread hand-off);
- whatever the kernel does not take goes to the recipient's bounded queue, and the recipient's own writer thread —
  started the first time it is needed — drains it with one blocking sendall() of everything queued.
So a sender never blocks on another client's socket, one slow reader stalls nobody but its own writer thread, and
lines to one client keep their order. A queue past SEND_QUEUE_BYTES (64 KiB, ChatLoad's own default) means the
client is not reading: it is shut down (its channels see QUIT :SendQ exceeded) rather than buffered for without bound.

State shared by every client (nicks, channels) is guarded by one lock held while a line is handled; the GIL
serializes Python code anyway. Sockets: TCP_NODELAY on (like ChatLoad's own servers), SO_REUSEADDR, listen backlog
4096. Threads get 256 KiB stacks (ChatLoad's threads mode uses 256 KiB). When the OS refuses a reader thread the
client gets ERROR :Server full; when it refuses a writer thread, that client is dropped as if its queue overflowed.

    /usr/bin/python3 threads_server.py --port 6667 [--bind 127.0.0.1] [--name python-threads.local]

SIGTERM or SIGINT: exit 0.
"""

import signal
import socket
import sys
import threading

import ircsubset

#: Bytes asked of recv() at a time: several full lines, small enough for thousands of blocked readers.
RECV_BYTES = 4096
#: Listen backlog, as ChatLoad's servers: bursts of thousands of connects.
BACKLOG = 4096
#: Stack per thread. The default (8 MiB of address space) buys nothing here: handlers are shallow.
THREAD_STACK_BYTES = 256 * 1024


class ThreadClient(ircsubset.Client):
    """One connection: its socket, its reader thread, and its bounded send queue with the writer thread that drains it."""

    def __init__(self, sock, host, network, lock):
        super().__init__(host)
        self._sock = sock
        self._network = network
        self._lock = lock
        self._ready = threading.Condition(threading.Lock())  # guards everything below
        self._pending = []
        self._pending_bytes = 0
        self._writer = False  # a writer thread runs for this client
        self._writing = False  # the writer is in sendall() with a batch it took
        self._closing = False  # nothing more is queued; whoever owns the socket closes it
        self._dropped = False  # the queue overflowed: nothing more is written

    # -- what the core calls (any thread, under the network lock) -------------------------------------------------------

    def send(self, data):
        with self._ready:
            if self._closing:
                return
            if not self._pending and not self._writing:
                try:
                    sent = self._sock.send(data, socket.MSG_DONTWAIT)
                except BlockingIOError:
                    sent = 0
                except OSError:
                    return  # the peer is gone: its reader sees it and tells the channels
                if sent == len(data):
                    return
                data = data[sent:]
            if self._pending_bytes + len(data) > ircsubset.SEND_QUEUE_BYTES:
                self._drop()
                return
            self._pending.append(data)
            self._pending_bytes += len(data)
            self._wake_writer()

    def close_after(self, data):
        with self._ready:
            if self._closing:
                return
            self._pending.append(data)
            self._closing = True
            self._wake_writer()

    # Callers hold self._ready.
    def _wake_writer(self):
        if self._writer:
            self._ready.notify()
            return
        try:
            threading.Thread(target=self._write_loop, name="writer", daemon=True).start()
            self._writer = True
        except RuntimeError:
            self._drop()  # no thread to drain it with: as good as a full queue

    def _drop(self):
        self._closing = self._dropped = True
        self._pending.clear()
        self._ready.notify()
        # The writer may be blocked in sendall() to this very client: shutting the socket down wakes it and the
        # reader, and the reader's disconnect tells the channels.
        self._shutdown()

    # -- the threads --------------------------------------------------------------------------------------------------

    def start(self):
        """Starts the reader; False when the OS refuses the thread (the caller refuses the client)."""
        try:
            threading.Thread(target=self._read_loop, name="reader", daemon=True).start()
            return True
        except RuntimeError:
            return False

    def _read_loop(self):
        lines = ircsubset.LineReader()
        reason = b"Connection closed"
        try:
            while True:
                data = self._sock.recv(RECV_BYTES)
                if not data:
                    break
                batch = lines.feed(data)
                if batch:
                    with self._lock:
                        for line in batch:
                            self._network.handle_line(self, line)
        except OSError as error:
            reason = b"Read error: " + (error.strerror or "reset").encode()
        if self._dropped:
            reason = b"SendQ exceeded"
        with self._lock:
            self._network.disconnect(self, reason)
        with self._ready:
            self._closing = True
            if self._writer:
                self._ready.notify()  # the writer flushes what is left and closes the socket
                return
        self._shutdown()
        self._sock.close()

    def _write_loop(self):
        try:
            while True:
                with self._ready:
                    self._writing = False
                    while not self._pending and not self._closing:
                        self._ready.wait()
                    if self._dropped:
                        return
                    batch = b"".join(self._pending)
                    self._pending.clear()
                    self._pending_bytes = 0
                    self._writing = True
                    last = self._closing
                if batch:
                    self._sock.sendall(batch)
                if last:
                    return
        except OSError:
            pass  # the peer is gone; the reader sees it too and tells the channels
        finally:
            with self._ready:
                self._closing = True  # nothing is queued for a socket no one drains
            self._shutdown()
            self._sock.close()

    def _shutdown(self):
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(bind, port, server_name):
    network = ircsubset.Network(server_name, version="chatload-python-threads")
    lock = threading.Lock()
    threading.stack_size(THREAD_STACK_BYTES)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((bind, port))
    listener.listen(BACKLOG)
    print(f"python threads server listening on {bind}:{port}", flush=True)
    while True:
        try:
            sock, address = listener.accept()
        except OSError as error:  # EMFILE and friends: this connection is lost, the server is not
            print(f"accept failed: {error}", file=sys.stderr, flush=True)
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if not ThreadClient(sock, address[0].encode(), network, lock).start():
            # No thread left (the mapping or thread limit): refuse politely instead of dying.
            try:
                sock.sendall(b"ERROR :Server full\r\n")
            except OSError:
                pass
            sock.close()


def serve_until_signalled(bind, port, server_name):
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: sys.exit(0))
    serve(bind, port, server_name)


if __name__ == "__main__":
    sys.exit(ircsubset.run_server("IRC subset server, one thread per client (blocking sockets)",
                                  "python-threads.local", serve_until_signalled))
