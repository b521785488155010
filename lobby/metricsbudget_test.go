package lobby

import (
	"io"
	"net/http"
	"testing"
	"time"
)

// TestMetricsBudget: GET /metrics has a budget per client address, past
// which it gets 429 with Retry-After, counted, while another address is
// still served. (A scrape gathers every metric; one keep-alive connection
// used to get hundreds a second.)
func TestMetricsBudget(t *testing.T) {
	fd := startFrontDoor(t, func(c *Config) {
		c.Limits.MetricsPerAddr = Rate{N: 3, Per: time.Hour}
		c.Metrics = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, "scrape\n")
		})
	}, slowArena(16))
	refused := metricValue(t, "tickwire_requests_refused_total", "reason", "metrics_addr")
	get := func(n int) (int, string) {
		t.Helper()
		resp, err := httpFrom(loopback(n)).Get("http://" + fd.addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer discard(resp)
		return resp.StatusCode, resp.Header.Get("Retry-After")
	}
	for i := range 3 {
		if code, _ := get(1); code != http.StatusOK {
			t.Fatalf("scrape %d within the budget: %d", i, code)
		}
	}
	if code, retry := get(1); code != http.StatusTooManyRequests || retry == "" {
		t.Fatalf("scrape past the budget: %d, Retry-After %q; want 429 with Retry-After", code, retry)
	}
	if d := metricValue(t, "tickwire_requests_refused_total", "reason", "metrics_addr") - refused; d != 1 {
		t.Errorf("%v scrapes counted over the address's budget, want 1", d)
	}
	if code, _ := get(2); code != http.StatusOK {
		t.Errorf("another address's scrape: %d, want 200", code)
	}
}
