package main

import (
	"flag"
	"fmt"
	"net/url"

	"github.com/tickwire/tickwire/admin"
)

// revokeCmd is tickctl revoke SESSION.
func revokeCmd(_ *flag.FlagSet) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		if err := wantArgs(args, 1, "a SESSION id"); err != nil {
			return err
		}
		var out admin.RevokeResult
		if err := e.call("POST", "/v1/admin/sessions/"+url.PathEscape(args[0])+"/revoke", struct{}{}, &out, nil); err != nil {
			return err
		}
		if e.g.json {
			return printJSON(e.stdout, out)
		}
		how := "no live connection"
		if out.ConnectionClosed {
			how = "its connection closed"
		}
		if out.SeatReleased {
			how += ", its held seat released"
		}
		if !out.Known {
			how += "; the server had not seen it since it started"
		}
		_, err := fmt.Fprintf(e.stdout, "session %s revoked (%s)\n", out.Session, how)
		return err
	}
}
