// Package web serves tickwire's browser game: the bundle of web/app, which
// make web builds into web/app/dist (committed), embedded in the binary so
// that a server built with go build serves the game with no npm step.
//
// web owns the embedded files and how they are served (content types,
// caching, conditional requests). It must not know the protocol, the lobby
// or any game: the game is a page that talks to /ws like any client.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed app/dist
var dist embed.FS

// App returns the built game's files: index.html at the root and the
// assets it loads under assets/, whose names carry a hash of their content.
func App() fs.FS {
	sub, err := fs.Sub(dist, "app/dist")
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	return sub
}

// Caching policies: index.html is revalidated on every load (its ETag
// makes that cheap), so a new server's game arrives at once; hashed assets
// never change under their name, so browsers keep them for a year.
const (
	cacheRevalidate = "no-cache"
	cacheImmutable  = "public, max-age=31536000, immutable"
)

// contentTypes are the types of the files a bundle holds, fixed here
// rather than read from the host's MIME tables so that every machine
// serves the same headers.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
}

// file is one servable file, read once.
type file struct {
	body  []byte
	ctype string
	etag  string
	cache string
}

// Handler returns a handler that serves files (App, or a test's): GET
// and HEAD of / (index.html) and of every file by its path, with a
// content type by extension, a strong ETag and a caching policy: assets/*
// immutable, the rest revalidated. Other paths get 404, other methods 405.
func Handler(files fs.FS) (http.Handler, error) {
	h := &handler{files: make(map[string]*file)}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ct, ok := contentTypes[path.Ext(p)]
		if !ok {
			ct = "application/octet-stream"
		}
		f := &file{body: body, ctype: ct, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, cache: cacheRevalidate}
		if strings.HasPrefix(p, "assets/") {
			f.cache = cacheImmutable
		}
		h.files["/"+p] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web files: %w", err)
	}
	if f, ok := h.files["/index.html"]; ok {
		h.files["/"] = f
	}
	return h, nil
}

// AppHandler is Handler of App.
func AppHandler() http.Handler {
	h, err := Handler(App())
	if err != nil {
		panic(err) // embedded files always read
	}
	return h
}

type handler struct {
	files map[string]*file
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	f, ok := h.files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", f.ctype)
	hd.Set("Cache-Control", f.cache)
	hd.Set("ETag", f.etag)
	hd.Set("X-Content-Type-Options", "nosniff")
	// ServeContent answers If-None-Match with 304, ranges and HEAD.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}
