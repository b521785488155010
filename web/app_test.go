package web

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"testing/fstest"
)

func TestHandler(t *testing.T) {
	h, err := Handler(fstest.MapFS{
		"index.html":             {Data: []byte("<!doctype html><p>game")},
		"assets/app-4F2K7QXZ.js": {Data: []byte("console.log(1)")},
		"assets/app-9ZZ.css":     {Data: []byte("body{}")},
		"favicon.svg":            {Data: []byte("<svg/>")},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, path string
		code         int
		ctype, cache string
		body         string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8", cacheRevalidate, "<!doctype html><p>game"},
		{"GET", "/index.html", 200, "text/html; charset=utf-8", cacheRevalidate, "<!doctype html><p>game"},
		{"GET", "/assets/app-4F2K7QXZ.js", 200, "text/javascript; charset=utf-8", cacheImmutable, "console.log(1)"},
		{"GET", "/assets/app-9ZZ.css", 200, "text/css; charset=utf-8", cacheImmutable, "body{}"},
		{"GET", "/favicon.svg", 200, "image/svg+xml", cacheRevalidate, "<svg/>"},
		{"HEAD", "/", 200, "text/html; charset=utf-8", cacheRevalidate, ""},
		{"GET", "/assets/", 404, "", "", ""},
		{"GET", "/nothing.js", 404, "", "", ""},
		{"GET", "/debug/pprof/", 404, "", "", ""},
		{"POST", "/", 405, "", "", ""},
		{"DELETE", "/assets/app-9ZZ.css", 405, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
			if w.Code != tt.code {
				t.Fatalf("status %d, want %d", w.Code, tt.code)
			}
			if tt.code != 200 {
				return
			}
			hd := w.Header()
			if hd.Get("Content-Type") != tt.ctype || hd.Get("Cache-Control") != tt.cache || hd.Get("ETag") == "" || hd.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("headers %v, want type %q, cache %q, an ETag and nosniff", hd, tt.ctype, tt.cache)
			}
			if w.Body.String() != tt.body {
				t.Errorf("body %q, want %q", w.Body.String(), tt.body)
			}
		})
	}

	// A revalidation with the ETag is answered 304 without a body.
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("If-None-Match", w.Header().Get("ETag"))
	w2 := httptest.NewRecorder()
	h.ServeHTTP(w2, req)
	if w2.Code != http.StatusNotModified || w2.Body.Len() != 0 {
		t.Errorf("If-None-Match: %d with %d bytes, want 304 and none", w2.Code, w2.Body.Len())
	}
}

// TestEmbeddedApp: the embedded bundle has an index.html, and every asset
// it names is embedded too, so a built binary serves a whole game.
func TestEmbeddedApp(t *testing.T) {
	index, err := fs.ReadFile(App(), "index.html")
	if err != nil {
		t.Fatalf("the embedded bundle has no index.html (run make web): %v", err)
	}
	refs := regexp.MustCompile(`(?:src|href)="/?(assets/[^"]+)"`).FindAllStringSubmatch(string(index), -1)
	if len(refs) == 0 {
		t.Fatalf("index.html loads no asset:\n%s", index)
	}
	srv := httptest.NewServer(AppHandler())
	defer srv.Close()
	for _, ref := range refs {
		resp, err := http.Get(srv.URL + "/" + ref[1])
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(body) == 0 || resp.Header.Get("Cache-Control") != cacheImmutable {
			t.Errorf("GET /%s = %s, %d bytes, cache %q: want 200 with the immutable asset", ref[1], resp.Status, len(body), resp.Header.Get("Cache-Control"))
		}
	}
}
