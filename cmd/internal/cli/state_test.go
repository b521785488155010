package cli

import (
	"os"
	"path/filepath"
	"testing"
)

func TestStateDir(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"TICKWIRE_STATE_DIR": "/t", "XDG_STATE_HOME": "/s", "HOME": "/h"}, "/t"},
		{map[string]string{"XDG_STATE_HOME": "/s", "HOME": "/h"}, filepath.Join("/s", "tickwire")},
		{map[string]string{"HOME": "/h"}, filepath.Join("/h", ".local", "state", "tickwire")},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := StateDir(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("StateDir(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

func TestWriteAndReadSecret(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "tickwire")
	path := filepath.Join(dir, AdminTokenFile)
	for _, secret := range []string{"first", "second"} { // the second replaces the first
		if err := WriteSecret(path, secret); err != nil {
			t.Fatal(err)
		}
		got, err := ReadSecret(path)
		if err != nil || got != secret {
			t.Fatalf("ReadSecret = %q, %v; want %q", got, err, secret)
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode %v (%v), want 0600", fi.Mode(), err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("state directory mode %v (%v), want 0700", fi.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("state directory holds %d files, want the secret alone", len(entries))
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte(" \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadSecret(empty); err == nil {
		t.Fatal("ReadSecret took an empty file")
	}
}
