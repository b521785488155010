package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tickwire/tickwire/cmd/internal/cli"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

const synopsis = `usage: tickctl [-server URL] [-token TOKEN | -token-file FILE] [-json] COMMAND [ARGS]

tickctl talks to a tickwire server's admin API (default http://127.0.0.1:7778).

Commands:
  overview                       the server: version, uptime, connections, CPU, memory
  rooms                          list the live rooms
  room ID                        one room: tick timings, bandwidth, players
  players ID                     the players of a room
  state ID                       the room's world now (entities, world units)
  watch ID                       live view of a room (until Ctrl-C or -for)
  top                            live table of rooms sorted by tick time
  kick ROOM PLAYER [-reason R]   remove a player; the client sees the reason
  close ROOM [-reason R]         end a room; players get results and the reason
  debug ROOM COMMAND...          send the room's game a debug command
  notify [-room ID [-player P]] [-severity S] TEXT...
                                 send a notice to every connection, a room's
                                 players or one player
  mute ROOM PLAYER [-off]        mute a player's chat in a room (-off lifts it)
  revoke SESSION                 refuse a session's tokens, close its connection
  record ROOM -o FILE -for D     record the room's inputs and checksums
  replay FILE                    re-run a recording offline, compare checksums

Global flags (also accepted after the command):
  -server URL       admin API base URL [$TICKCTL_SERVER]
  -token T          admin token [$TICKWIRE_ADMIN_TOKEN]
  -token-file FILE  read the admin token from FILE when -token is not set
                    [$TICKCTL_TOKEN_FILE] (default: the token a tickwire
                    on this machine generated, admin-token in its state
                    directory: $TICKWIRE_STATE_DIR, else
                    $XDG_STATE_HOME/tickwire, else ~/.local/state/tickwire)
  -json             machine-readable output for every read command

Exit status: 0 ok, 1 failure, 2 usage error.`

// globals are the flags every command takes.
type globals struct {
	server string
	token  string
	// tokenFile is read when token is empty; defaultTokenFile is the
	// state directory's, which may not exist.
	tokenFile        string
	defaultTokenFile string
	json             bool
}

// env holds what a command needs from its surroundings.
type env struct {
	ctx      context.Context
	stdout   io.Writer
	stderr   io.Writer
	terminal bool // stdout is a terminal: live views redraw in place
	g        globals
}

// usageError is a command-line mistake (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usagef returns a usageError.
func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// command is one subcommand.
type command struct {
	// args names the positional arguments, for the usage line.
	args string
	help string
	// flags adds the command's own flags; run gets the positionals.
	flags func(fs *flag.FlagSet) func(e *env, args []string) error
}

var commands = map[string]command{
	"overview": {"", "show the server's figures", overviewCmd},
	"rooms":    {"", "list the live rooms", roomsCmd},
	"room":     {"ID", "show one room", roomCmd},
	"players":  {"ID", "list a room's players", playersCmd},
	"state":    {"ID", "show a room's world", stateCmd},
	"watch":    {"ID", "live view of a room", watchCmd},
	"top":      {"", "live table of rooms by tick time", topCmd},
	"kick":     {"ROOM PLAYER", "kick a player", kickCmd},
	"close":    {"ROOM", "close a room", closeCmd},
	"debug":    {"ROOM COMMAND...", "send a debug command to a room's game", debugCmd},
	"notify":   {"TEXT...", "send a notice to everyone, a room (-room) or a player (-player)", notifyCmd},
	"mute":     {"ROOM PLAYER", "mute a player's chat in a room (-off lifts it)", muteCmd},
	"revoke":   {"SESSION", "revoke a session", revokeCmd},
	"record":   {"ROOM", "record a room to a file", recordCmd},
	"replay":   {"FILE", "replay a recording and compare checksums", replayCmd},
}

// run is tickctl: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return runEnv(ctx, args, os.Getenv, isTerminal(stdout), stdout, stderr)
}

// runEnv is run with its surroundings passed in.
func runEnv(ctx context.Context, args []string, getenv func(string) string, terminal bool, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdout: stdout, stderr: stderr, terminal: terminal}
	e.g.server = getenv("TICKCTL_SERVER")
	if e.g.server == "" {
		e.g.server = "http://127.0.0.1:7778"
	}
	e.g.token = getenv("TICKWIRE_ADMIN_TOKEN")
	if dir := cli.StateDir(getenv); dir != "" {
		e.g.defaultTokenFile = filepath.Join(dir, cli.AdminTokenFile)
	}
	e.g.tokenFile = getenv("TICKCTL_TOKEN_FILE")
	if e.g.tokenFile == "" {
		e.g.tokenFile = e.g.defaultTokenFile
	}

	// The environment's values are the flags' defaults; a command's usage
	// shows these, not what the command line before it set.
	defaults := e.g
	fs := flag.NewFlagSet("tickctl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addGlobals(fs, &e.g, defaults)
	fs.Usage = func() { fmt.Fprintln(stderr, synopsis) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, synopsis)
		return exitUsage
	}
	name := fs.Arg(0)
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "tickctl: unknown command %q (have %s)\n", name, strings.Join(commandNames(), ", "))
		return exitUsage
	}
	sub := flag.NewFlagSet("tickctl "+name, flag.ContinueOnError)
	sub.SetOutput(stderr)
	addGlobals(sub, &e.g, defaults)
	runCmd := cmd.flags(sub)
	sub.Usage = func() {
		fmt.Fprintf(stderr, "usage: tickctl %s [flags] %s\n\n%s.\n\nFlags:\n", name, cmd.args, cmd.help)
		sub.PrintDefaults()
	}
	pos, err := parseInterspersed(sub, fs.Args()[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	err = runCmd(e, pos)
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "tickctl %s: %v\n", name, err)
		sub.Usage()
		return exitUsage
	default:
		fmt.Fprintf(stderr, "tickctl %s: %v\n", name, err)
		return exitFailure
	}
}

// addGlobals defines the global flags on fs, into g, with the defaults
// of defaults; g keeps the values it holds.
func addGlobals(fs *flag.FlagSet, g *globals, defaults globals) {
	held := *g
	fs.StringVar(&g.server, "server", defaults.server, "admin API base `URL` [$TICKCTL_SERVER]")
	fs.StringVar(&g.token, "token", defaults.token, "admin `token` [$TICKWIRE_ADMIN_TOKEN]")
	fs.StringVar(&g.tokenFile, "token-file", defaults.tokenFile, "read the admin token from `file` when -token is not set [$TICKCTL_TOKEN_FILE]")
	fs.BoolVar(&g.json, "json", defaults.json, "machine-readable JSON output")
	*g = held
}

// parseInterspersed parses flags that may come before, between or after
// the positional arguments, and returns the positionals.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// wantArgs checks the number of positional arguments.
func wantArgs(args []string, n int, names string) error {
	if len(args) != n {
		return usagef("want %s, got %d argument(s)", names, len(args))
	}
	return nil
}

func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
