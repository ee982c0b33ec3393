#!/usr/bin/python3
"""The IRC subset (ircsubset.py) on asyncio: one thread, one event loop (epoll), non-blocking sockets, no thread or
task per client.

Each connection is an asyncio.Protocol (the callback API under asyncio's streams, and the faster of the two): bytes
arrive in data_received, are framed into lines and handled at once. Sending never waits: the core's send() appends
to the client's list of pending lines and, once per event-loop turn, one flush writes them all with one
transport.write() (several lines to one client in one system call, as the threads server's writer does). The
transport buffers what the kernel does not take; when that buffer plus the pending lines pass SEND_QUEUE_BYTES
(64 KiB, ChatLoad's own default) the client is not reading and is aborted (SendQ exceeded) rather than buffered for
without bound. No lock: only the loop's thread touches the state.

Sockets: asyncio sets TCP_NODELAY on every TCP transport (set again here, to say so), SO_REUSEADDR, listen backlog
4096, as ChatLoad's own servers do.

    /usr/bin/python3 asyncio_server.py --port 6667 [--bind 127.0.0.1] [--name python-asyncio.local]

SIGTERM or SIGINT: exit 0.
"""

import asyncio
import signal
import socket
import sys

import ircsubset

#: Listen backlog, as ChatLoad's servers: bursts of thousands of connects.
BACKLOG = 4096


class AsyncClient(ircsubset.Client, asyncio.Protocol):
    """One connection: its transport, its pending lines and the flag that a flush is scheduled."""

    def __init__(self, network, loop):
        super().__init__(b"unknown")
        self._network = network
        self._loop = loop
        self._transport = None
        self._lines = ircsubset.LineReader()
        self._pending = []
        self._pending_bytes = 0
        self._flush_scheduled = False
        self._closing = False
        self._dropped = False

    # -- asyncio's callbacks ------------------------------------------------------------------------------------------

    def connection_made(self, transport):
        self._transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        peer = transport.get_extra_info("peername")
        if peer:
            self.host = peer[0].encode()

    def data_received(self, data):
        for line in self._lines.feed(data):
            if self._closing:
                return
            self._network.handle_line(self, line)

    def connection_lost(self, exc):
        self._closing = True
        reason = b"SendQ exceeded" if self._dropped else b"Connection closed" if exc is None else b"Read error"
        self._network.disconnect(self, reason)

    # -- what the core calls ------------------------------------------------------------------------------------------

    def send(self, data):
        if self._closing:
            return
        self._pending.append(data)
        self._pending_bytes += len(data)
        if self._pending_bytes + self._transport.get_write_buffer_size() > ircsubset.SEND_QUEUE_BYTES:
            self._drop()
            return
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._loop.call_soon(self._flush)

    def close_after(self, data):
        if self._closing:
            return
        self._pending.append(data)
        self._flush()
        self._closing = True
        self._transport.close()  # after the buffer drains

    # -- the flush ----------------------------------------------------------------------------------------------------

    def _flush(self):
        self._flush_scheduled = False
        if self._pending and not self._transport.is_closing():
            self._transport.write(b"".join(self._pending) if len(self._pending) > 1 else self._pending[0])
        self._pending.clear()
        self._pending_bytes = 0

    def _drop(self):
        self._closing = self._dropped = True
        self._pending.clear()
        # abort, not close: close would wait to send the very backlog that shows the client is not reading.
        # connection_lost follows on the next loop turn, and tells the channels.
        self._transport.abort()


async def serve(bind, port, server_name):
    loop = asyncio.get_running_loop()
    network = ircsubset.Network(server_name, version="chatload-python-asyncio")
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    server = await loop.create_server(lambda: AsyncClient(network, loop), bind, port,
                                      backlog=BACKLOG, reuse_address=True)
    print(f"python asyncio server listening on {bind}:{port}", flush=True)
    async with server:
        await stop


if __name__ == "__main__":
    sys.exit(ircsubset.run_server("IRC subset server on asyncio (one event loop, no thread per client)",
                                  "python-asyncio.local", lambda bind, port, name: asyncio.run(serve(bind, port, name))))
