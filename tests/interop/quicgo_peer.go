// SPDX-License-Identifier: GPL-2.0-or-later

// A quic-go peer for interoperability tests, speaking quic-perf's small
// protocol (see quic-perf(1) and aioquic_peer.py):
//
//	perf-server: accept one connection, echo its datagrams, read a
//	stream to its end and answer "OK BYTES CRC32" on a new stream, then
//	wait for the peer to close.
//	perf-client: a datagram that must come back (sent again each second
//	until it does), then BYTES on a stream, and the server's answer
//	checked against the CRC-32 of what was sent.
//
// quic-go updates its keys on its own after its first 100 packets, so a
// transfer of a megabyte crosses key updates it starts.  Prints one line
// per completed handshake ("handshake ALPN VERSION") and exits 0 when
// everything expected happened.
//
// Built in the aioquic chroot against Debian's quic-go sources (GOPATH
// mode), by setup-debian.sh.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/quic-go/quic-go"
)

type options struct {
	host, port, alpn, versions string
	ca, cert, key              string
	bytes                      int
	timeout                    time.Duration
}

func config(o *options) (*quic.Config, error) {
	c := &quic.Config{
		EnableDatagrams: true,
		MaxIdleTimeout:  o.timeout,
	}
	for _, v := range strings.Split(o.versions, ",") {
		switch v {
		case "1":
			c.Versions = append(c.Versions, quic.Version1)
		case "2":
			c.Versions = append(c.Versions, quic.Version2)
		default:
			return nil, fmt.Errorf("unknown version %q", v)
		}
	}
	return c, nil
}

func report(conn quic.Connection) {
	st := conn.ConnectionState()
	fmt.Printf("handshake %s 0x%08x\n", st.TLS.NegotiatedProtocol,
		uint32(st.Version))
}

func perfServer(ctx context.Context, o *options) error {
	cert, err := tls.LoadX509KeyPair(o.cert, o.key)
	if err != nil {
		return err
	}
	conf, err := config(o)
	if err != nil {
		return err
	}
	tc := &tls.Config{Certificates: []tls.Certificate{cert},
		NextProtos: []string{o.alpn}}
	ln, err := quic.ListenAddr(net.JoinHostPort(o.host, o.port), tc, conf)
	if err != nil {
		return err
	}
	defer ln.Close()
	fmt.Println("listening")
	conn, err := ln.Accept(ctx)
	if err != nil {
		return err
	}
	report(conn)
	go func() {
		for {
			d, err := conn.ReceiveDatagram(ctx)
			if err != nil {
				return
			}
			if conn.SendDatagram(d) == nil {
				fmt.Println("datagram echoed")
			}
		}
	}()
	str, err := conn.AcceptStream(ctx)
	if err != nil {
		return err
	}
	h := crc32.NewIEEE()
	n, err := io.Copy(h, str)
	if err != nil {
		return err
	}
	reply := fmt.Sprintf("OK %d %08x", n, h.Sum32())
	out, err := conn.OpenStreamSync(ctx)
	if err != nil {
		return err
	}
	if _, err = out.Write([]byte(reply)); err != nil {
		return err
	}
	out.Close()
	fmt.Println("transfer", reply)
	select {
	case <-conn.Context().Done():
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

func perfClient(ctx context.Context, o *options) error {
	pem, err := os.ReadFile(o.ca)
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		return errors.New("no CA certificate in " + o.ca)
	}
	conf, err := config(o)
	if err != nil {
		return err
	}
	tc := &tls.Config{RootCAs: roots, ServerName: "localhost",
		NextProtos: []string{o.alpn}}
	conn, err := quic.DialAddr(ctx, net.JoinHostPort(o.host, o.port), tc,
		conf)
	if err != nil {
		return err
	}
	defer conn.CloseWithError(0, "")
	report(conn)

	// datagrams may be lost (the loss tests): again each second
	check := []byte("datagram check")
	for {
		if err = conn.SendDatagram(check); err != nil {
			return err
		}
		dctx, cancel := context.WithTimeout(ctx, time.Second)
		d, err := conn.ReceiveDatagram(dctx)
		cancel()
		if err == nil {
			if string(d) != string(check) {
				return fmt.Errorf("datagram came back as %q", d)
			}
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	fmt.Println("datagram echoed")

	chunk := make([]byte, 65536)
	for i := range chunk {
		chunk[i] = byte(i * 7)
	}
	str, err := conn.OpenStreamSync(ctx)
	if err != nil {
		return err
	}
	h := crc32.NewIEEE()
	for sent := 0; sent < o.bytes; {
		part := chunk[:min(len(chunk), o.bytes-sent)]
		if _, err = str.Write(part); err != nil {
			return err
		}
		h.Write(part)
		sent += len(part)
	}
	str.Close()
	in, err := conn.AcceptStream(ctx)
	if err != nil {
		return err
	}
	reply, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	want := fmt.Sprintf("OK %d %08x", o.bytes, h.Sum32())
	fmt.Println("server:", string(reply))
	if string(reply) != want {
		return fmt.Errorf("expected: %s", want)
	}
	return nil
}

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr,
			"usage: quicgo-peer perf-server|perf-client HOST PORT [options]")
		os.Exit(2)
	}
	o := &options{host: os.Args[2], port: os.Args[3]}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	fs.StringVar(&o.alpn, "alpn", "perf", "ALPN")
	fs.StringVar(&o.versions, "versions", "1",
		"1 and/or 2, the first is the client's first")
	fs.StringVar(&o.ca, "ca", "", "CA file (client)")
	fs.StringVar(&o.cert, "cert", "", "certificate (server)")
	fs.StringVar(&o.key, "key", "", "private key (server)")
	fs.IntVar(&o.bytes, "bytes", 1<<20, "bytes to send (client)")
	secs := fs.Int("timeout", 60, "seconds")
	fs.Parse(os.Args[4:])
	if _, err := strconv.Atoi(o.port); err != nil {
		fmt.Fprintln(os.Stderr, "bad port", o.port)
		os.Exit(2)
	}
	o.timeout = time.Duration(*secs) * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 2*o.timeout)
	defer cancel()

	var err error
	switch os.Args[1] {
	case "perf-server":
		err = perfServer(ctx, o)
	case "perf-client":
		err = perfClient(ctx, o)
	default:
		err = errors.New("unknown mode " + os.Args[1])
	}
	if err != nil {
		fmt.Println("failed:", err)
		os.Exit(1)
	}
}
