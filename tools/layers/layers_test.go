package layers

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/tickwire/tickwire"

// dep is one package another imports, directly or not.
type dep struct {
	path     string
	standard bool
}

// deps returns the packages pkg imports, directly or not.
func deps(t *testing.T, pkg string) []dep {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", module+"/"+pkg).CombinedOutput()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", pkg, err, out)
	}
	var list []dep
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, std, _ := strings.Cut(line, " ")
		if path != module+"/"+pkg {
			list = append(list, dep{path: path, standard: std == "true"})
		}
	}
	return list
}

// under reports whether p is one of the packages named in roots or below
// one of them. A root ending in "$" names that package alone.
func under(p string, roots []string) bool {
	for _, x := range roots {
		if exact, ok := strings.CutSuffix(x, "$"); ok {
			if p == exact {
				return true
			}
			continue
		}
		if p == x || strings.HasPrefix(p, x+"/") {
			return true
		}
	}
	return false
}

func TestLayers(t *testing.T) {
	tests := []struct {
		pkg string
		// allowed, when set, lists everything the package may depend on
		// beyond the standard library.
		allowed []string
		// forbidden lists what it must not depend on.
		forbidden []string
	}{
		{
			pkg:     "game/fixed",
			allowed: []string{},
		},
		{
			pkg:     "netcode/wire",
			allowed: []string{module + "/proto", "google.golang.org/protobuf"},
		},
		{
			pkg: "netcode/client",
			forbidden: []string{module + "/netcode$", module + "/game", module + "/lobby",
				"github.com/prometheus"},
		},
		{
			pkg:       "netcode",
			forbidden: []string{module + "/netcode/client", module + "/game", module + "/lobby"},
		},
		{
			pkg:       "game",
			forbidden: []string{module + "/lobby", module + "/netcode$", "github.com/gorilla/websocket"},
		},
		{
			pkg:       "game/catalog",
			forbidden: []string{module + "/lobby", module + "/netcode$", module + "/cmd", "github.com/gorilla/websocket"},
		},
		{
			pkg:       "game/arena",
			forbidden: []string{module + "/lobby", module + "/netcode$", "github.com/gorilla/websocket"},
		},
		{
			pkg:       "game/drones",
			forbidden: []string{module + "/lobby", module + "/netcode$", "github.com/gorilla/websocket"},
		},
		{
			pkg:       "lobby",
			forbidden: []string{module + "/cmd", module + "/netcode/client"},
		},
		{
			// The harness runs the commands as a user would; it links
			// none of tickwire's packages.
			pkg:     "tools/bench",
			allowed: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			for _, d := range deps(t, tt.pkg) {
				if tt.allowed != nil && !d.standard && !under(d.path, tt.allowed) {
					t.Errorf("%s imports %s; it may import only %v and the standard library", tt.pkg, d.path, tt.allowed)
				}
				if under(d.path, tt.forbidden) {
					t.Errorf("%s imports %s, which it must not", tt.pkg, d.path)
				}
			}
		})
	}
}
