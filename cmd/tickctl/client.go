package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"github.com/tickwire/tickwire/admin"
	"github.com/tickwire/tickwire/cmd/internal/cli"
)

// requestTimeout bounds one admin request (not streams).
const requestTimeout = 10 * time.Second

// adminClient calls the admin API.
type adminClient struct {
	base  *url.URL
	token string
	// tokenFrom says where the token came from, for a 401's error.
	tokenFrom string
	http      *http.Client
}

// newClient checks the -server URL and finds the token.
func newClient(g globals) (*adminClient, error) {
	u, err := url.Parse(strings.TrimRight(g.server, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usagef("-server %q: want an http:// or https:// URL such as http://127.0.0.1:7778", g.server)
	}
	token, from, err := g.adminToken()
	if err != nil {
		return nil, err
	}
	return &adminClient{base: u, token: token, tokenFrom: from, http: &http.Client{}}, nil
}

// adminToken returns the token to send and where it came from: -token (or
// TICKWIRE_ADMIN_TOKEN), else the token file. The state directory's file
// may be missing (no tickwire generated a token there); a token file named
// on purpose must be there.
func (g globals) adminToken() (token, from string, err error) {
	switch {
	case g.token != "":
		return g.token, "given by -token or TICKWIRE_ADMIN_TOKEN", nil
	case g.tokenFile == "":
		return "", "no -token, and no state directory to find a token file in", nil
	}
	token, err = cli.ReadSecret(g.tokenFile)
	switch {
	case err == nil:
		return token, "read from " + g.tokenFile, nil
	case errors.Is(err, fs.ErrNotExist) && g.tokenFile == g.defaultTokenFile:
		return "", "no -token, and no token file at " + g.tokenFile, nil
	default:
		return "", "", fmt.Errorf("admin token: %w", err)
	}
}

// wrongToken is the error of a 401.
func (c *adminClient) wrongToken() error {
	what := "wrong admin token"
	if c.token == "" {
		what = "missing admin token"
	}
	return fmt.Errorf("%s (%s): set -token, TICKWIRE_ADMIN_TOKEN or -token-file to the server's token; a tickwire given none writes one to admin-token in its -state-dir", what, c.tokenFrom)
}

// url returns the full URL of an API path.
func (c *adminClient) url(path string) string { return c.base.String() + path }

// request builds an authenticated request.
func (c *adminClient) request(ctx context.Context, method, path string, body any) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("marshal request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.url(path), rd)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return req, nil
}

// send performs req and turns transport failures and error statuses into
// clear errors; on success the caller owns the response body.
func (c *adminClient) send(req *http.Request) (*http.Response, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		if ctxErr := req.Context().Err(); ctxErr != nil && !errors.Is(ctxErr, context.DeadlineExceeded) {
			return nil, ctxErr
		}
		return nil, fmt.Errorf("cannot reach the admin API at %s (is tickwire running with -admin-addr there?): %w", c.base, err)
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var e admin.ErrorJSON
	text := strings.TrimSpace(string(b))
	if json.Unmarshal(b, &e) == nil && e.Error != "" {
		text = e.Error
	}
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		return nil, c.wrongToken()
	case http.StatusNotFound:
		return nil, fmt.Errorf("%s", text)
	default:
		return nil, fmt.Errorf("%s %s: %s: %s", req.Method, req.URL.Path, resp.Status, text)
	}
}

// call sends a JSON request and decodes the JSON answer into out (and, when
// raw is not nil, keeps the answer's bytes there).
// call makes one admin API call with the command's global flags; see
// adminClient.call.
func (e *env) call(method, path string, body, out any, raw *[]byte) error {
	c, err := newClient(e.g)
	if err != nil {
		return err
	}
	return c.call(e.ctx, method, path, body, out, raw)
}

func (c *adminClient) call(ctx context.Context, method, path string, body, out any, raw *[]byte) error {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := c.request(ctx, method, path, body)
	if err != nil {
		return err
	}
	resp, err := c.send(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	if raw != nil {
		*raw = b
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("decode answer of %s: %w", path, err)
	}
	return nil
}

// dialWatch opens a room's watch stream.
func (c *adminClient) dialWatch(ctx context.Context, room string) (*websocket.Conn, error) {
	u := *c.base
	switch u.Scheme {
	case "https":
		u.Scheme = "wss"
	default:
		u.Scheme = "ws"
	}
	u.Path += "/v1/admin/rooms/" + url.PathEscape(room) + "/watch"
	h := http.Header{}
	if c.token != "" {
		h.Set("Authorization", "Bearer "+c.token)
	}
	dctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	ws, resp, err := websocket.DefaultDialer.DialContext(dctx, u.String(), h)
	if err == nil {
		return ws, nil
	}
	if resp == nil {
		return nil, fmt.Errorf("cannot reach the admin API at %s (is tickwire running with -admin-addr there?): %w", c.base, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var e admin.ErrorJSON
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return nil, c.wrongToken()
	case json.Unmarshal(b, &e) == nil && e.Error != "":
		return nil, errors.New(e.Error)
	default:
		return nil, fmt.Errorf("watch: %s", resp.Status)
	}
}

// roomPath is the API path of a room.
func roomPath(id string) string { return "/v1/admin/rooms/" + url.PathEscape(id) }

// printJSON writes v indented.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
