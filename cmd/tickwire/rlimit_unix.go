//go:build unix

package main

import "syscall"

// raiseOpenFileLimit raises the process's soft limit of open files to its
// hard limit and returns the soft limit in force. (The Go runtime does the
// same at start since Go 1.19; doing it here too keeps it explicit and
// tells run the figure to budget connections with.)
func raiseOpenFileLimit() (uint64, error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, err
	}
	if l.Cur < l.Max {
		want := l
		want.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
			return uint64(l.Cur), err
		}
		l = want
	}
	return uint64(l.Cur), nil
}
