package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// EnvName is the environment variable that overrides flag name: the prefix,
// an underscore and the flag's name upper-cased with dashes and dots as
// underscores (TICKWIRE + arena.tick-hz = TICKWIRE_ARENA_TICK_HZ).
func EnvName(prefix, name string) string {
	return prefix + "_" + strings.ToUpper(envReplacer.Replace(name))
}

// envReplacer turns the separators of flag names into underscores.
var envReplacer = strings.NewReplacer("-", "_", ".", "_")

// Parse parses args into fs, then gives every flag not set on the command
// line the value of its environment variable, if that is set. Command-line
// flags win over the environment; the environment wins over defaults.
func Parse(fs *flag.FlagSet, prefix string, args []string, getenv func(string) string) error {
	if getenv == nil {
		getenv = os.Getenv
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		env := EnvName(prefix, f.Name)
		if v := getenv(env); v != "" {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("environment %s=%q: %w", env, v, e)
			}
		}
	})
	return err
}

// UnknownEnv returns the names of the variables in environ (as os.Environ
// gives them, NAME=value) that carry prefix and an underscore but override
// no flag of fs: a misspelt name, or one a newer version no longer reads.
// Parse ignores them; a command should say so.
func UnknownEnv(fs *flag.FlagSet, prefix string, environ []string) []string {
	known := make(map[string]bool)
	fs.VisitAll(func(f *flag.Flag) { known[EnvName(prefix, f.Name)] = true })
	var unknown []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, prefix+"_") && !known[name] {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	return unknown
}

// Section is a group of flags that Usage lists under a heading of its own,
// after the flags that belong to no section.
type Section struct {
	// Title is the heading, printed with a colon after it.
	Title string
	// Flags names the section's flags, in the order to list them.
	Flags []string
}

// Usage returns a flag.FlagSet Usage function that prints a synopsis, the
// flags with their defaults and the environment variable of each: first
// the flags of no section, sorted, then each section's.
func Usage(fs *flag.FlagSet, prefix, synopsis string, sections ...Section) func() {
	return func() {
		out := fs.Output()
		inSection := make(map[string]bool)
		for _, s := range sections {
			for _, name := range s.Flags {
				inSection[name] = true
			}
		}
		fmt.Fprintln(out, synopsis)
		fmt.Fprintln(out, "\nFlags (each can also be set by the environment variable shown):")
		fs.VisitAll(func(f *flag.Flag) {
			if !inSection[f.Name] {
				printFlag(out, prefix, f)
			}
		})
		for _, s := range sections {
			fmt.Fprintf(out, "\n%s:\n", s.Title)
			for _, name := range s.Flags {
				if f := fs.Lookup(name); f != nil {
					printFlag(out, prefix, f)
				}
			}
		}
	}
}

// printFlag prints one flag's name, usage, default and environment
// variable.
func printFlag(out io.Writer, prefix string, f *flag.Flag) {
	name, usage := flag.UnquoteUsage(f)
	line := "  -" + f.Name
	if name != "" {
		line += " " + name
	}
	fmt.Fprintf(out, "%s\n    \t%s", line, strings.ReplaceAll(usage, "\n", "\n    \t"))
	if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" {
		fmt.Fprintf(out, " (default %s)", f.DefValue)
	}
	fmt.Fprintf(out, " [$%s]\n", EnvName(prefix, f.Name))
}
