// Package deadline spares a socket the deadline calls that change nothing.
// Its Conn goes under a gorilla/websocket connection, on the server (the
// lobby's counted connections) and in clients (tickbot's sockets): the
// library sets the write deadline before every frame it writes, mostly to
// the value already in force.
//
// deadline is a leaf: it knows nothing of WebSockets, the protocol or
// tickwire's other packages, and imports only the standard library, so a
// client can use it without linking the server's connection code.
package deadline
