#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""An aioquic peer for interoperability tests.

client: connect, complete the handshake, send a PING and wait for its
acknowledgment (1-RTT packets both ways), close.
server: accept COUNT connections, report each completed handshake, then
wait for the peer to close.

Prints one line per completed handshake ("handshake ALPN VERSION") and
exits 0 when every expected handshake completed.
"""

import argparse
import asyncio
import sys

from aioquic.asyncio import connect, serve
from aioquic.asyncio.protocol import QuicConnectionProtocol
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.events import ConnectionTerminated, HandshakeCompleted
from aioquic.quic.packet import QuicProtocolVersion

VERSIONS = {"1": QuicProtocolVersion.VERSION_1,
            "2": QuicProtocolVersion.VERSION_2}


def configuration(args, is_client):
    versions = [VERSIONS[v] for v in args.versions.split(",")]
    cfg = QuicConfiguration(is_client=is_client,
                            alpn_protocols=args.alpn.split(","),
                            supported_versions=versions)
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


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("mode", choices=["client", "server"])
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
    args = p.parse_args()
    run = run_client if args.mode == "client" else run_server
    try:
        return asyncio.run(asyncio.wait_for(run(args), args.timeout * 2))
    except Exception as e:  # noqa: BLE001 - report any failure
        print(f"failed: {type(e).__name__}: {e}", flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
