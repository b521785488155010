package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// metrics is one scrape of a Prometheus text exposition: every sample's
// value by its series, the metric name with its labels as written
// (`name{a="b"}`), comments left out.
type metrics map[string]float64

// parseMetrics reads the Prometheus text format (version 0.0.4), the
// subset client_golang writes: one sample a line, no timestamps needed.
func parseMetrics(r io.Reader) (metrics, error) {
	m := metrics{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		// The value follows the series; label values may hold spaces, so
		// the series ends at the closing brace when there is one.
		var series, rest string
		if i := strings.LastIndexByte(line, '}'); i >= 0 {
			series, rest = line[:i+1], line[i+1:]
		} else {
			var ok bool
			series, rest, ok = strings.Cut(line, " ")
			if !ok {
				return nil, fmt.Errorf("metrics: no value in %q", line)
			}
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return nil, fmt.Errorf("metrics: no value in %q", line)
		}
		v, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			return nil, fmt.Errorf("metrics: %q: %w", line, err)
		}
		m[series] = v
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	return m, nil
}

// sum returns the sum of every series of metric name, whatever its labels
// (a counter vector's total).
func (m metrics) sum(name string) float64 {
	var s float64
	for series, v := range m {
		if series == name || strings.HasPrefix(series, name+"{") {
			s += v
		}
	}
	return s
}

// bucket is one cumulative histogram bucket: count observations ≤ le.
type bucket struct {
	le    float64
	count float64
}

// buckets returns histogram name's cumulative buckets, by increasing le
// (+Inf last). Histograms with labels beyond le are not supported.
func (m metrics) buckets(name string) []bucket {
	var bs []bucket
	prefix := name + `_bucket{le="`
	for series, v := range m {
		rest, ok := strings.CutPrefix(series, prefix)
		if !ok {
			continue
		}
		le, err := strconv.ParseFloat(strings.TrimSuffix(rest, `"}`), 64)
		if err != nil {
			continue
		}
		bs = append(bs, bucket{le: le, count: v})
	}
	sort.Slice(bs, func(i, j int) bool { return bs[i].le < bs[j].le })
	return bs
}

// bucketDelta returns the histogram of observations made between two
// scrapes: b minus a, bucket by bucket (matched by bound).
func bucketDelta(a, b []bucket) []bucket {
	before := make(map[float64]float64, len(a))
	for _, x := range a {
		before[x.le] = x.count
	}
	d := make([]bucket, len(b))
	for i, x := range b {
		d[i] = bucket{le: x.le, count: x.count - before[x.le]}
	}
	return d
}

// bucketQuantile estimates quantile q (0..1) of a cumulative histogram as
// Prometheus's histogram_quantile does: linear interpolation inside the
// bucket the rank falls in, from the previous bound (0 for the first);
// a rank in the +Inf bucket answers the highest finite bound. NaN when the
// histogram is empty.
func bucketQuantile(q float64, bs []bucket) float64 {
	if len(bs) == 0 {
		return math.NaN()
	}
	total := bs[len(bs)-1].count
	if total <= 0 {
		return math.NaN()
	}
	rank := q * total
	lower, below := 0.0, 0.0
	for i, b := range bs {
		if b.count >= rank && b.count > below {
			if math.IsInf(b.le, 1) {
				if i == 0 {
					return math.NaN()
				}
				return bs[i-1].le
			}
			return lower + (b.le-lower)*(rank-below)/(b.count-below)
		}
		lower, below = b.le, b.count
	}
	return bs[len(bs)-1].le
}
