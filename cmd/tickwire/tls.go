package main

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net"
)

// tlsFlags are the public port's certificate and key (both or neither).
type tlsFlags struct {
	cert, key string
}

// defineTLSFlags defines -tls-cert and -tls-key on fs.
func defineTLSFlags(fs *flag.FlagSet, t *tlsFlags) {
	fs.StringVar(&t.cert, "tls-cert", "", "PEM certificate `file` (chain first) for https and wss on the public port, with -tls-key (empty = plain http and ws)")
	fs.StringVar(&t.key, "tls-key", "", "PEM private key `file` of -tls-cert")
}

// load returns the TLS configuration of the public port, nil without
// -tls-cert; a certificate that does not load stops the server at start.
func (t tlsFlags) load() (*tls.Config, error) {
	switch {
	case t.cert == "" && t.key == "":
		return nil, nil
	case t.cert == "" || t.key == "":
		return nil, errors.New("-tls-cert and -tls-key: want both or neither")
	}
	cert, err := tls.LoadX509KeyPair(t.cert, t.key)
	if err != nil {
		return nil, fmt.Errorf("-tls-cert, -tls-key: %w", err)
	}
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
		// HTTP/1.1 only: a WebSocket upgrade is an HTTP/1.1 request, and
		// browsers would otherwise speak HTTP/2 to the port.
		NextProtos: []string{"http/1.1"},
	}, nil
}

// wrap returns ln serving TLS with cfg, or ln itself when cfg is nil. The
// TLS layer sits on top of the front door's listener, so every TCP
// connection is counted before its handshake.
func wrapTLS(ln net.Listener, cfg *tls.Config) net.Listener {
	if cfg == nil {
		return ln
	}
	return tls.NewListener(ln, cfg)
}
