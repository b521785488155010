package main

import (
	"os"
	"testing"
	"time"
)

func TestParseStatTicks(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		want    [2]uint64 // utime, stime
		wantErr bool
	}{
		{"plain", "4242 (tickwire) S 1 4242 4242 0 -1 4194560 8000 0 0 0 1234 567 0 0 20 0 12 0 100 1000 200 18446744073709551615", [2]uint64{1234, 567}, false},
		// A command name may hold spaces and parentheses.
		{"odd name", "77 (my (odd) proc) R 1 77 77 0 -1 0 0 0 0 0 10 5 0 0 20 0 1 0 9 0 0", [2]uint64{10, 5}, false},
		{"no name", "77 R 1", [2]uint64{}, true},
		{"short", "77 (x) R 1 2 3", [2]uint64{}, true},
		{"not a number", "77 (x) S 1 77 77 0 -1 0 0 0 0 0 ten 5 0 0", [2]uint64{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			utime, stime, err := parseStatTicks([]byte(tt.line))
			if got := [2]uint64{utime, stime}; (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseStatTicks = %v, %v; want %v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestStatusField(t *testing.T) {
	status := "Name:\ttickwire\nVmPeak:\t  900000 kB\nVmRSS:\t  123456 kB\nThreads:\t9\n"
	if got, err := statusField([]byte(status), "VmRSS"); err != nil || got != 123456*1024 {
		t.Errorf("VmRSS = %d, %v; want %d", got, err, 123456*1024)
	}
	if got, err := statusField([]byte(status), "Threads"); err != nil || got != 9 {
		t.Errorf("Threads = %d, %v; want 9 (no unit)", got, err)
	}
	if _, err := statusField([]byte(status), "VmSwap"); err == nil {
		t.Error("a missing field gave no error")
	}
}

func TestParseMachineCPU(t *testing.T) {
	stat := "cpu  100 5 50 1000 20 3 7 0 40 0\ncpu0 50 2 25 500 10 1 3 0 0 0\n"
	m, err := parseMachineCPU([]byte(stat))
	if err != nil {
		t.Fatal(err)
	}
	// busy: user nice system irq softirq steal; not idle, iowait, nor the
	// guest columns (already in user).
	if m.busy != 100+5+50+3+7+0 || m.total != 100+5+50+1000+20+3+7+0 || m.softirq != 7 {
		t.Errorf("machine cpu = %+v", m)
	}
	if _, err := parseMachineCPU([]byte("intr 1 2 3\n")); err == nil {
		t.Error("a file without a cpu line gave no error")
	}
	b := machineCPU{busy: m.busy + 300, softirq: m.softirq + 50}
	if got := busyCores(m, b, 100, 2*time.Second); got != 1.5 {
		t.Errorf("busyCores = %v, want 1.5", got)
	}
	if got := softirqCores(m, b, 100, 2*time.Second); got != 0.25 {
		t.Errorf("softirqCores = %v, want 0.25", got)
	}
	if got := busyCores(b, m, 100, time.Second); got != 0 {
		t.Errorf("busyCores backwards = %v, want 0", got)
	}
}

// TestOwnProcess reads this very process: the figures the harness takes
// of the servers must work on a live pid.
func TestOwnProcess(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	if _, err := procCPU(os.Getpid(), 100); err != nil {
		t.Error(err)
	}
	if rss, err := procRSS(os.Getpid()); err != nil || rss == 0 {
		t.Errorf("rss = %d, %v", rss, err)
	}
	if _, err := readMachineCPU(); err != nil {
		t.Error(err)
	}
}
