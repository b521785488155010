package loadstats

import (
	"testing"
	"time"
)

func TestLatencyBuckets(t *testing.T) {
	var h Latencies
	samples := []time.Duration{-time.Second, 500 * time.Nanosecond, 10 * time.Millisecond, 10 * time.Millisecond, 42 * time.Millisecond}
	for _, d := range samples {
		h.Add(d)
	}
	got := h.Buckets()
	if len(got) != 3 || got[0] != [2]uint64{1000, 2} || got[1][1] != 2 || got[2][1] != 1 {
		t.Fatalf("buckets %v: want the two samples up to 1 µs, then 10 ms twice, then 42 ms", got)
	}
	// Each bound is the first at or above its samples, and within 1 % of them.
	for i, d := range []time.Duration{10 * time.Millisecond, 42 * time.Millisecond} {
		upper := time.Duration(got[i+1][0])
		if upper < d || float64(upper) > 1.01*float64(d) {
			t.Errorf("%v landed in a bucket up to %v", d, upper)
		}
		if k := bucketOf(d); bucketUpper(k-1) >= d {
			t.Errorf("%v: the bucket below (up to %v) would hold it too", d, bucketUpper(k-1))
		}
	}
}

func TestParse(t *testing.T) {
	l, err := Parse([]byte(`{"t":1.5,"bots":3,"live":2,"seated_s":2.9,"snapshots":58,"ack_ns":[[1000,2]]}`))
	if err != nil || l.T != 1.5 || l.Live != 2 || l.Snapshots != 58 || len(l.AckNs) != 1 || l.AckNs[0] != [2]uint64{1000, 2} {
		t.Errorf("Parse = %+v, %v", l, err)
	}
	if _, err := Parse([]byte(`{"t":`)); err == nil {
		t.Error("a cut line parsed")
	}
}
