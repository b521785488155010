package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuTime is the CPU time a process has used, every thread: in its own
// code (user) and in the kernel on its behalf (system: its system calls,
// and on the loopback the network work done inside them).
type cpuTime struct {
	user, sys time.Duration
}

// total is user + system time.
func (c cpuTime) total() time.Duration { return c.user + c.sys }

// procCPU returns the CPU time pid has used, from /proc/<pid>/stat, at tck
// clock ticks a second.
func procCPU(pid int, tck float64) (cpuTime, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return cpuTime{}, fmt.Errorf("cpu of %d: %w", pid, err)
	}
	utime, stime, err := parseStatTicks(b)
	if err != nil {
		return cpuTime{}, fmt.Errorf("cpu of %d: %w", pid, err)
	}
	ticks := func(n uint64) time.Duration { return time.Duration(float64(n) / tck * float64(time.Second)) }
	return cpuTime{user: ticks(utime), sys: ticks(stime)}, nil
}

// parseStatTicks returns utime and stime (fields 14 and 15) of a
// /proc/<pid>/stat line. The command name (field 2) is in parentheses and
// may hold spaces or parentheses itself, so fields are counted from the
// last ')'.
func parseStatTicks(b []byte) (utime, stime uint64, err error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, errors.New("stat: no command name")
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state), so field n is f[n-3].
	if len(f) < 13 {
		return 0, 0, fmt.Errorf("stat: %d fields after the name, want at least 13", len(f))
	}
	if utime, err = strconv.ParseUint(f[11], 10, 64); err != nil {
		return 0, 0, fmt.Errorf("stat utime: %w", err)
	}
	if stime, err = strconv.ParseUint(f[12], 10, 64); err != nil {
		return 0, 0, fmt.Errorf("stat stime: %w", err)
	}
	return utime, stime, nil
}

// procRSS returns pid's resident set size, VmRSS of /proc/<pid>/status.
func procRSS(pid int) (uint64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("rss of %d: %w", pid, err)
	}
	v, err := statusField(b, "VmRSS")
	if err != nil {
		return 0, fmt.Errorf("rss of %d: %w", pid, err)
	}
	return v, nil
}

// statusField returns a "Name:   123 kB" field of /proc/<pid>/status or
// /proc/meminfo in bytes.
func statusField(b []byte, name string) (uint64, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != name {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			return 0, fmt.Errorf("%s: no value", name)
		}
		n, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		if len(f) > 1 && f[1] == "kB" {
			n *= 1024
		}
		return n, nil
	}
	return 0, fmt.Errorf("%s: not found", name)
}

// machineCPU is the machine's CPU time from the first line of /proc/stat.
type machineCPU struct {
	busy, total uint64 // clock ticks
	// softirq is the busy time spent in softirqs, which on the loopback
	// is mostly the network stack: charged to no process.
	softirq uint64
}

// readMachineCPU reads /proc/stat.
func readMachineCPU() (machineCPU, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return machineCPU{}, fmt.Errorf("machine cpu: %w", err)
	}
	return parseMachineCPU(b)
}

// parseMachineCPU reads the "cpu" line of /proc/stat: user nice system
// idle iowait irq softirq steal ...; idle and iowait are not busy, and
// guest time is already inside user.
func parseMachineCPU(b []byte) (machineCPU, error) {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 8 || f[0] != "cpu" {
		return machineCPU{}, fmt.Errorf("machine cpu: unexpected line %q", line)
	}
	var m machineCPU
	for i, s := range f[1:min(len(f), 9)] {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return machineCPU{}, fmt.Errorf("machine cpu: %w", err)
		}
		m.total += n
		if i != 3 && i != 4 { // idle, iowait
			m.busy += n
		}
		if i == 6 {
			m.softirq = n
		}
	}
	return m, nil
}

// busyCores returns the cores busy on average from a to b, which span wall.
func busyCores(a, b machineCPU, tck float64, wall time.Duration) float64 {
	return cores(a.busy, b.busy, tck, wall)
}

// softirqCores returns the cores busy in softirqs from a to b.
func softirqCores(a, b machineCPU, tck float64, wall time.Duration) float64 {
	return cores(a.softirq, b.softirq, tck, wall)
}

func cores(a, b uint64, tck float64, wall time.Duration) float64 {
	if wall <= 0 || b < a {
		return 0
	}
	return float64(b-a) / tck / wall.Seconds()
}

// clockTicks returns the kernel's clock ticks per second (CLK_TCK) from
// getconf, or 100, the value on every common Linux build, and checks it
// against getrusage: after burning some CPU, this process's /proc ticks
// divided by it must agree with the kernel's own account.
func clockTicks() (float64, error) {
	tck := 100.0
	if out, err := exec.Command("getconf", "CLK_TCK").Output(); err == nil {
		if v, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64); err == nil && v > 0 {
			tck = v
		}
	}
	pid := os.Getpid()
	before, err := procCPU(pid, tck)
	if err != nil {
		return 0, err
	}
	var ru0 syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru0); err != nil {
		return 0, fmt.Errorf("getrusage: %w", err)
	}
	_ = burn(300 * time.Millisecond)
	after, err := procCPU(pid, tck)
	if err != nil {
		return 0, err
	}
	var ru1 syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru1); err != nil {
		return 0, fmt.Errorf("getrusage: %w", err)
	}
	fromProc := after.total() - before.total()
	fromRusage := rusageCPU(&ru1) - rusageCPU(&ru0)
	// /proc counts whole ticks: allow two ticks of rounding and 15 %.
	if diff := (fromProc - fromRusage).Abs(); diff > 2*time.Duration(float64(time.Second)/tck)+fromRusage*15/100 {
		return 0, fmt.Errorf("CLK_TCK %v does not match: /proc says %v of CPU, getrusage %v", tck, fromProc, fromRusage)
	}
	return tck, nil
}

func rusageCPU(ru *syscall.Rusage) time.Duration {
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// burn spins on this goroutine's thread for about d of CPU and returns
// what it computed, so that the work is not optimized away.
func burn(d time.Duration) uint64 {
	end := time.Now().Add(d)
	x := uint64(1)
	for time.Now().Before(end) {
		for range 1000 {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	return x
}
