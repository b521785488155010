package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"github.com/tickwire/tickwire/admin"
)

func recordCmd(fs *flag.FlagSet) func(e *env, args []string) error {
	out := fs.String("o", "", "output `file` (- for stdout)")
	forDur := fs.Duration("for", 0, "how long to record, such as 10s")
	return func(e *env, args []string) error {
		if err := wantArgs(args, 1, "a room ID"); err != nil {
			return err
		}
		if *out == "" {
			return usagef("-o FILE is required")
		}
		if *forDur <= 0 {
			return usagef("-for DURATION is required (such as -for 10s)")
		}
		c, err := newClient(e.g)
		if err != nil {
			return err
		}
		n, err := fetchRecording(e.ctx, c, args[0], *forDur, *out, e.stdout)
		if err != nil {
			return err
		}
		if *out == "-" {
			return nil
		}
		if e.g.json {
			return printJSON(e.stdout, map[string]any{"room": args[0], "file": *out, "bytes": n, "seconds": forDur.Seconds()})
		}
		_, err = fmt.Fprintf(e.stdout, "recorded room %s for %v: %d bytes to %s (tickctl replay %s)\n", args[0], *forDur, n, *out, *out)
		return err
	}
}

// fetchRecording streams a room's recording for dur into path and returns the bytes
// written. A recording the server reports incomplete is an error, and the
// partial file is kept for a look.
func fetchRecording(ctx context.Context, c *adminClient, room string, dur time.Duration, path string, stdout io.Writer) (int64, error) {
	// The server ends the stream after dur; the margin covers the start
	// and the last flush.
	ctx, cancel := context.WithTimeout(ctx, dur+requestTimeout)
	defer cancel()
	req, err := c.request(ctx, "GET", roomPath(room)+"/record?for="+url.QueryEscape(dur.String()), nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.send(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var w io.Writer = stdout
	var f *os.File
	if path != "-" {
		f, err = os.Create(path)
		if err != nil {
			return 0, fmt.Errorf("create %s: %w", path, err)
		}
		defer f.Close()
		w = f
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("recording stream broke after %d bytes: %w", n, err)
	}
	if msg := resp.Trailer.Get(admin.RecordErrorTrailer); msg != "" {
		return n, fmt.Errorf("the server ended the recording early: %s", msg)
	}
	if f != nil {
		if err := f.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
			return n, fmt.Errorf("close %s: %w", path, err)
		}
	}
	if n == 0 {
		return 0, errors.New("the server sent an empty recording")
	}
	return n, nil
}
