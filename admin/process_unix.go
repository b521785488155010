//go:build unix

package admin

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// processUsage returns the process's CPU seconds (user + system) and its
// resident set size; RSS is 0 where /proc is missing.
func processUsage() (cpuSeconds float64, rssBytes uint64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		cpuSeconds = cpu.Seconds()
	}
	// statm's second field is the resident pages.
	if b, err := os.ReadFile("/proc/self/statm"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 1 {
			if pages, err := strconv.ParseUint(f[1], 10, 64); err == nil {
				rssBytes = pages * uint64(os.Getpagesize())
			}
		}
	}
	return cpuSeconds, rssBytes
}
