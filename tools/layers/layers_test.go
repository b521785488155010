package layers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
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
			pkg:     "netcode/deadline",
			allowed: []string{},
		},
		{
			// The load generator is a client: it links none of the
			// server's packages.
			pkg:       "cmd/tickbot",
			forbidden: []string{module + "/netcode$", module + "/lobby", module + "/admin"},
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
			forbidden: []string{module + "/lobby", module + "/admin", module + "/game/record", module + "/netcode$", "github.com/gorilla/websocket"},
		},
		{
			pkg:       "game/record",
			forbidden: []string{module + "/lobby", module + "/admin", module + "/netcode$", module + "/cmd", "github.com/gorilla/websocket"},
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
			pkg:     "web",
			allowed: []string{},
		},
		{
			pkg:       "lobby",
			forbidden: []string{module + "/cmd", module + "/netcode/client", module + "/admin"},
		},
		{
			pkg:       "admin",
			forbidden: []string{module + "/cmd", module + "/netcode/client"},
		},
		{
			// The harness runs the commands as a user would; it links
			// none of tickwire's packages, only the stats line format
			// it reads.
			pkg:     "tools/bench",
			allowed: []string{module + "/tools/bench/loadstats$"},
		},
		{
			pkg:     "tools/bench/loadstats",
			allowed: []string{},
		},
		{
			// The floor measures the transport alone: gorilla/websocket
			// and the stats line format, nothing of the server's.
			pkg:     "tools/bench/floor",
			allowed: []string{"github.com/gorilla/websocket", module + "/tools/bench/loadstats$"},
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

// TestAdminSeesTheLobbyThroughOperator keeps the admin API on the lobby's
// narrow view: of package lobby, its code names only Operator and what
// Operator's methods take and return, errors included (so it never reaches
// the registry, sessions or held seats, nor takes their locks), and
// PhaseName.
func TestAdminSeesTheLobbyThroughOperator(t *testing.T) {
	allowed := []string{"Operator", "LiveRoom", "Counters", "PhaseName", "Notice", "ErrBadNotice", "ErrUnknownRoom", "RemoteRoom"}
	out, err := exec.Command("go", "list", "-f", "{{.Dir}}\n{{range .GoFiles}}{{.}}\n{{end}}", module+"/admin").CombinedOutput()
	if err != nil {
		t.Fatalf("go list admin: %v\n%s", err, out)
	}
	lines := strings.Fields(string(out))
	dir, files := lines[0], lines[1:]
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		local := ""
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == module+"/lobby" {
				local = "lobby"
				if imp.Name != nil {
					local = imp.Name.Name
				}
			}
		}
		if local == "" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == local && !slices.Contains(allowed, sel.Sel.Name) {
				t.Errorf("%s: admin uses lobby.%s; it may use only %v", fset.Position(sel.Pos()), sel.Sel.Name, allowed)
			}
			return true
		})
	}
}
