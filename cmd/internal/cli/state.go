package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// AdminTokenFile is the name, in the state directory, of the admin token
// tickwire generates when it is given none and tickctl reads by default.
const AdminTokenFile = "admin-token"

// StateDir returns the directory where the tickwire commands keep state
// between runs: $TICKWIRE_STATE_DIR (tickwire's -state-dir), else
// $XDG_STATE_HOME/tickwire, else $HOME/.local/state/tickwire; "" when none
// of these variables is set.
func StateDir(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	if d := getenv("TICKWIRE_STATE_DIR"); d != "" {
		return d
	}
	if d := getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "tickwire")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "state", "tickwire")
	}
	return ""
}

// WriteSecret writes secret and a newline to path, readable and writable
// by its owner only (0600), creating the directory for its owner only
// (0700) when it is missing. It replaces the file in one step (a
// temporary file renamed over it), so a reader never sees half a secret
// nor a file with wider permissions.
func WriteSecret(path, secret string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("state directory: %w", err)
	}
	f, err := os.CreateTemp(dir, filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	// CreateTemp makes the file 0600 already; Chmod says so whatever the
	// platform does.
	err = f.Chmod(0o600)
	if err == nil {
		_, err = f.WriteString(secret + "\n")
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// ReadSecret reads a secret from path: the file's content without the
// white space around it. An empty file is an error. The error never
// quotes the content.
func ReadSecret(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", fmt.Errorf("%s: %w", path, errEmptySecret)
	}
	return s, nil
}

// errEmptySecret is what ReadSecret says of a file with no secret in it.
var errEmptySecret = errors.New("file holds no secret")
