package record

import "sync/atomic"

// Budget bounds the bytes of the logs of many rooms together
// (a server's -record-log-budget): each Recorder given it takes its log's
// chunks from it and gives them back when it drops its log or its room
// ends. It is safe for concurrent use; a nil *Budget bounds nothing.
type Budget struct {
	limit int64
	used  atomic.Int64
}

// NewBudget returns a budget of limit bytes; limit <= 0 means no bound.
func NewBudget(limit int64) *Budget {
	return &Budget{limit: limit}
}

// Limit returns the budget's bound in bytes (0: none).
func (b *Budget) Limit() int64 {
	if b == nil || b.limit <= 0 {
		return 0
	}
	return b.limit
}

// Used returns the bytes the logs hold now.
func (b *Budget) Used() int64 {
	if b == nil {
		return 0
	}
	return b.used.Load()
}

// take takes n bytes, or reports false when that would pass the limit.
func (b *Budget) take(n int64) bool {
	if b == nil {
		return true
	}
	for {
		used := b.used.Load()
		if b.limit > 0 && used+n > b.limit {
			return false
		}
		if b.used.CompareAndSwap(used, used+n) {
			recordLogBytes.Add(float64(n))
			return true
		}
	}
}

// give returns n bytes taken before.
func (b *Budget) give(n int64) {
	if b == nil || n == 0 {
		return
	}
	b.used.Add(-n)
	recordLogBytes.Sub(float64(n))
}
