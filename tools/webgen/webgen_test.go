package webgen

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated files of web/app")

// check compares got with the committed file at path (relative to this
// package) or, with -update, writes it.
func check(t *testing.T, path string, got []byte, summary string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %s", path, summary)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tools/webgen -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from what the code produces (run go test ./tools/webgen -update if the change is meant)", path)
	}
	t.Logf("%s is current: %s", path, summary)
}
