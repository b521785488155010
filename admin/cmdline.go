package admin

import (
	"net/http"
	"os"
	"slices"
	"strings"
)

// Redacted stands for the value of a secret flag in /debug/pprof/cmdline.
const Redacted = "[redacted]"

// serveCmdline: GET /debug/pprof/cmdline, the command line as
// net/http/pprof shows it (arguments separated by NUL bytes), every
// secret flag's value redacted.
func (a *API) serveCmdline(w http.ResponseWriter, _ *http.Request) {
	args := a.cfg.Cmdline
	if args == nil {
		args = os.Args
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(strings.Join(redact(args, a.cfg.SecretFlags), "\x00")))
}

// redact returns args (the program first) with the value of every flag
// named in secret replaced by Redacted, in each form the flag package
// takes: -name value, -name=value, and with two dashes.
func redact(args, secret []string) []string {
	out := make([]string, len(args))
	copy(out, args)
	for i := 1; i < len(out); i++ {
		name, hasValue := flagName(out[i])
		if name == "" || !slices.Contains(secret, name) {
			continue
		}
		if hasValue {
			out[i] = out[i][:strings.IndexByte(out[i], '=')+1] + Redacted
		} else if i+1 < len(out) {
			i++
			out[i] = Redacted
		}
	}
	return out
}

// flagName returns the name of the flag arg sets ("" if it sets none)
// and whether the value is in arg itself (-name=value).
func flagName(arg string) (name string, hasValue bool) {
	if len(arg) < 2 || arg[0] != '-' || arg == "--" {
		return "", false
	}
	name = strings.TrimPrefix(arg[1:], "-")
	name, _, hasValue = strings.Cut(name, "=")
	return name, hasValue
}
