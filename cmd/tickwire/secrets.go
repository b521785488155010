package main

import (
	"fmt"

	"github.com/tickwire/tickwire/cmd/internal/cli"
)

// secretFlags are the flags whose values are secrets: they never appear in
// /debug/pprof/cmdline, logs or metrics. Each can come from a file or the
// environment instead, which no process listing shows.
var secretFlags = []string{"session-secret", "admin-token"}

// readSecretFiles reads the secrets given as files into the config; a
// secret given both ways is refused. Errors name the file, never its
// content.
func (c *config) readSecretFiles() error {
	for _, s := range []struct {
		value *string
		file  string
		name  string
	}{
		{&c.sessionSecret, c.sessionSecretFile, "session-secret"},
		{&c.adminToken, c.adminTokenFile, "admin-token"},
	} {
		if s.file == "" {
			continue
		}
		if *s.value != "" {
			return fmt.Errorf("-%s and -%s-file both given: want one", s.name, s.name)
		}
		v, err := cli.ReadSecret(s.file)
		if err != nil {
			return fmt.Errorf("-%s-file: %w", s.name, err)
		}
		*s.value = v
	}
	return nil
}
