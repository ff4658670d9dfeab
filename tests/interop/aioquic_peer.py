#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""An aioquic peer for interoperability tests.

client: connect, complete the handshake, send a PING and wait for its
acknowledgment (1-RTT packets both ways), close.
server: accept COUNT connections, report each completed handshake, then
wait for the peer to close.
perf-server: the server side of quic-perf (ALPN perf): read a stream to
its end, answer "OK BYTES CRC32" on a new stream, echo datagrams.
perf-client: the client side against quic-perf -S: a datagram that must
come back (sent again each second until it does), then BYTES on a stream with a key update halfway, and the
server's answer checked against the CRC-32 of what was sent.

Prints one line per completed handshake ("handshake ALPN VERSION") and
exits 0 when every expected handshake completed.
"""

import argparse
import asyncio
import sys
import zlib

from aioquic.asyncio import connect, serve
from aioquic.asyncio.protocol import QuicConnectionProtocol
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.events import (ConnectionTerminated, DatagramFrameReceived,
                                 HandshakeCompleted, StreamDataReceived)
from aioquic.quic.packet import QuicProtocolVersion

VERSIONS = {"1": QuicProtocolVersion.VERSION_1,
            "2": QuicProtocolVersion.VERSION_2}


def configuration(args, is_client):
    versions = [VERSIONS[v] for v in args.versions.split(",")]
    cfg = QuicConfiguration(is_client=is_client,
                            alpn_protocols=args.alpn.split(","),
                            supported_versions=versions)
    cfg.max_datagram_frame_size = 1200
    if is_client:
        cfg.load_verify_locations(args.ca)
        cfg.server_name = "localhost"
    else:
        cfg.load_cert_chain(args.cert, args.key)
    return cfg


def report(conn, alpn):
    print(f"handshake {alpn} 0x{conn._version:08x}", flush=True)


class ServerProtocol(QuicConnectionProtocol):
    done = None
    closed = None

    def quic_event_received(self, event):
        if isinstance(event, HandshakeCompleted):
            report(self._quic, event.alpn_protocol)
            ServerProtocol.done.put_nowait(True)
        elif isinstance(event, ConnectionTerminated):
            ServerProtocol.closed.put_nowait(event.error_code)


async def run_server(args):
    ServerProtocol.done = asyncio.Queue()
    ServerProtocol.closed = asyncio.Queue()
    server = await serve(args.host, args.port,
                         configuration=configuration(args, False),
                         create_protocol=ServerProtocol)
    print("listening", flush=True)
    try:
        for _ in range(args.count):
            await asyncio.wait_for(ServerProtocol.done.get(), args.timeout)
            await asyncio.wait_for(ServerProtocol.closed.get(), args.timeout)
    finally:
        server.close()
    return 0


async def run_client(args):
    async with connect(args.host, args.port,
                       configuration=configuration(args, True),
                       wait_connected=True) as client:
        report(client._quic, client._quic.tls.alpn_negotiated)
        await asyncio.wait_for(client.ping(), args.timeout)
        print("ping acknowledged", flush=True)
    return 0


class PerfServerProtocol(QuicConnectionProtocol):
    done = None

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.got = {}

    def quic_event_received(self, event):
        if isinstance(event, StreamDataReceived):
            n, crc = self.got.get(event.stream_id, (0, 0))
            n += len(event.data)
            crc = zlib.crc32(event.data, crc)
            self.got[event.stream_id] = (n, crc)
            if event.end_stream:
                sid = self._quic.get_next_available_stream_id()
                reply = f"OK {n} {crc:08x}"
                self._quic.send_stream_data(sid, reply.encode(), True)
                self.transmit()
                print(f"transfer {reply}", flush=True)
        elif isinstance(event, DatagramFrameReceived):
            self._quic.send_datagram_frame(event.data)
            self.transmit()
            print("datagram echoed", flush=True)
        elif isinstance(event, ConnectionTerminated):
            PerfServerProtocol.done.put_nowait(event.error_code)


async def run_perf_server(args):
    PerfServerProtocol.done = asyncio.Queue()
    server = await serve(args.host, args.port,
                         configuration=configuration(args, False),
                         create_protocol=PerfServerProtocol,
                         retry=args.retry)
    print("listening", flush=True)
    try:
        await asyncio.wait_for(PerfServerProtocol.done.get(), args.timeout)
    finally:
        server.close()
    return 0


class PerfClientProtocol(QuicConnectionProtocol):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.reply = b""
        self.replied = asyncio.Event()
        self.datagram = asyncio.Queue()

    def quic_event_received(self, event):
        if isinstance(event, StreamDataReceived):
            self.reply += event.data
            if event.end_stream:
                self.replied.set()
        elif isinstance(event, DatagramFrameReceived):
            self.datagram.put_nowait(event.data)


async def run_perf_client(args):
    async with connect(args.host, args.port,
                       configuration=configuration(args, True),
                       create_protocol=PerfClientProtocol,
                       wait_connected=True) as client:
        quic = client._quic
        # datagrams may be lost (the loss tests): send again every
        # second until one comes back
        loop = asyncio.get_running_loop()
        deadline = loop.time() + args.timeout
        while True:
            quic.send_datagram_frame(b"datagram check")
            client.transmit()
            try:
                echo = await asyncio.wait_for(client.datagram.get(), 1)
                break
            except asyncio.TimeoutError:
                if loop.time() > deadline:
                    raise
        if echo != b"datagram check":
            print(f"datagram came back as {echo!r}", flush=True)
            return 1
        print("datagram echoed", flush=True)
        chunk = bytes(i * 7 & 0xff for i in range(65536))
        sid = quic.get_next_available_stream_id()
        crc = sent = 0
        updated = False
        while sent < args.bytes:
            part = chunk[:min(len(chunk), args.bytes - sent)]
            crc = zlib.crc32(part, crc)
            sent += len(part)
            quic.send_stream_data(sid, part, sent == args.bytes)
            if sent >= args.bytes // 2 and not updated:
                quic.request_key_update()
                updated = True
            client.transmit()
            await asyncio.sleep(0)
        await asyncio.wait_for(client.replied.wait(), args.timeout)
        want = f"OK {sent} {crc:08x}"
        print(f"server: {client.reply.decode()}", flush=True)
        if client.reply.decode() != want:
            print(f"expected: {want}", flush=True)
            return 1
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("mode", choices=["client", "server", "perf-server",
                                    "perf-client"])
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("--alpn", default="quictest")
    p.add_argument("--versions", default="1,2",
                   help="1 and/or 2, the first is the client's first")
    p.add_argument("--ca")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--timeout", type=float, default=30)
    p.add_argument("--bytes", type=int, default=4 << 20)
    p.add_argument("--retry", action="store_true",
                   help="perf-server: answer first Initials with Retry")
    args = p.parse_args()
    run = {"client": run_client, "server": run_server,
           "perf-server": run_perf_server,
           "perf-client": run_perf_client}[args.mode]
    try:
        return asyncio.run(asyncio.wait_for(run(args), args.timeout * 2))
    except Exception as e:  # noqa: BLE001 - report any failure
        print(f"failed: {type(e).__name__}: {e}", flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
