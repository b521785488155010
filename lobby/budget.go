package lobby

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Scopes of a budget, the suffix of its refusal labels.
const (
	scopeAddr    = "addr"
	scopeSession = "session"
	scopeServer  = "server"
)

// budget is one kind of request's token buckets: one per client address,
// one per session and one server-wide. Any of them may be off.
type budget struct {
	name    string
	what    string          // what it counts, for refusal texts
	rates   map[string]Rate // by scope, for refusal texts
	perAddr *keyedLimiter
	perSess *keyedLimiter
	server  *rate.Limiter
	// refusals are the Error frames of its refusals, by label, encoded
	// once: a client over a budget is often one that asks a lot.
	refusals map[string][]byte
	// mu makes a request's look-up, check and spend one step, so that
	// requests racing for a bucket's last token do not all pass its check
	// and a sweep of the keyed buckets cannot hand one of them a second,
	// full bucket. latest is the latest time a request was checked at:
	// one whose clock reading is older is taken as of then, as a bucket
	// moved back in time would refill the same interval twice.
	mu     sync.Mutex
	latest time.Time
}

// lockAt takes b.mu and returns now, or the latest time a request was
// checked at if that is later.
func (b *budget) lockAt(now time.Time) time.Time {
	b.mu.Lock()
	if now.Before(b.latest) {
		return b.latest
	}
	b.latest = now
	return now
}

// newBudget returns the budget name, of requests described by what, with
// the given rates (a rate that is not On is no budget); a refused request
// gets an Error of code.
func newBudget(name, what string, code pb.ErrorCode, perAddr, perSession, server Rate) *budget {
	b := &budget{
		name: name, what: what,
		rates:   map[string]Rate{scopeAddr: perAddr, scopeSession: perSession, scopeServer: server},
		perAddr: newKeyedLimiter(perAddr), perSess: newKeyedLimiter(perSession),
		refusals: make(map[string][]byte),
	}
	if server.On() {
		b.server = rate.NewLimiter(server.limit(), server.N)
	}
	for scope := range b.rates {
		label := name + "_" + scope
		frame, err := proto.Marshal(wire.ErrorMessage(code, b.text(label)))
		if err != nil {
			panic(fmt.Sprintf("lobby: encode a refusal: %v", err)) // the message is ours and valid
		}
		b.refusals[label] = frame
	}
	return b
}

// refusal returns the Error frame that answers a refusal label of allow.
func (b *budget) refusal(label string) []byte { return b.refusals[label] }

// scopeNames name the scopes in refusal texts.
var scopeNames = map[string]string{scopeAddr: "per client address", scopeSession: "per session", scopeServer: "on this server"}

// text explains a refusal label of allow to the client.
func (b *budget) text(refusal string) string {
	scope := strings.TrimPrefix(refusal, b.name+"_")
	r := b.rates[scope]
	return fmt.Sprintf("too many %s: at most %d every %s %s", b.what, r.N, shortDuration(r.Per), scopeNames[scope])
}

// allow spends a token of every bucket that applies to a request of addr
// (and session, when not empty) at now, or returns the label of the first
// that has none: "<name>_session", "<name>_addr" or "<name>_server". The
// buckets are checked before any is spent, so that a refusal by one does
// not also cost the others; check and spend hold the budget's lock, so
// that of requests racing for a last token only one passes.
func (b *budget) allow(addr, session string, now time.Time) (refusal string) {
	now = b.lockAt(now)
	defer b.mu.Unlock()
	bs := b.buckets(addr, session, now)
	if refusal = b.emptyOf(bs, now); refusal == "" {
		spendAll(bs, now)
	}
	return refusal
}

// reserve is allow for a request whose cost only its answer tells (a
// join by room id or code costs a miss only when no live room answers):
// it takes a token of every bucket as allow does, under the same lock, and
// returns them as a hold that cancel gives back when the answer shows the
// request cost nothing.
func (b *budget) reserve(addr, session string, now time.Time) (h hold, refusal string) {
	now = b.lockAt(now)
	defer b.mu.Unlock()
	bs := b.buckets(addr, session, now)
	if refusal = b.emptyOf(bs, now); refusal != "" {
		return hold{}, refusal
	}
	h.at = now
	for i, x := range bs {
		if x.l != nil {
			h.taken[i] = x.l.ReserveN(now, 1)
		}
	}
	return h, ""
}

// hold is the tokens reserve took for one request; the zero hold holds
// none.
type hold struct {
	taken [3]*rate.Reservation
	at    time.Time
}

// cancel gives the held tokens back to their buckets, less what the
// buckets have refilled since (rate.Reservation.CancelAt).
func (h hold) cancel() {
	for _, r := range h.taken {
		if r != nil {
			r.CancelAt(h.at)
		}
	}
}

// emptyOf returns the refusal label of the first of bs with no token at
// now, or "".
func (b *budget) emptyOf(bs [3]scopedBucket, now time.Time) string {
	for _, x := range bs {
		if x.l != nil && x.l.TokensAt(now) < 1 {
			return b.name + "_" + x.scope
		}
	}
	return ""
}

// spendAll takes a token of each of bs at now.
func spendAll(bs [3]scopedBucket, now time.Time) {
	for _, x := range bs {
		if x.l != nil {
			x.l.AllowN(now, 1)
		}
	}
}

// scopedBucket is one of a request's buckets and the scope it budgets.
type scopedBucket struct {
	l     *rate.Limiter
	scope string
}

// buckets returns the buckets of a request of addr and session, nil where
// a scope is off (or session is empty).
func (b *budget) buckets(addr, session string, now time.Time) [3]scopedBucket {
	var sess *rate.Limiter
	if session != "" {
		sess = b.perSess.get(session, now)
	}
	return [3]scopedBucket{{sess, scopeSession}, {b.perAddr.get(addr, now), scopeAddr}, {b.server, scopeServer}}
}

// keyedLimiterMax bounds the keys a keyedLimiter remembers. Past it,
// buckets that are full again (their owner has been quiet) are forgotten;
// if none is, new keys share one overflow bucket rather than grow memory.
const keyedLimiterMax = 1 << 16

// keyedLimiterSweep is how often a keyedLimiter forgets full buckets even
// below keyedLimiterMax.
const keyedLimiterSweep = time.Minute

// keyedLimiter is a token bucket per key (a client address, a session id).
// A nil *keyedLimiter limits nothing.
type keyedLimiter struct {
	limit rate.Limit
	burst int

	mu        sync.Mutex
	buckets   map[string]*rate.Limiter
	overflow  *rate.Limiter
	lastSweep time.Time
}

// newKeyedLimiter returns a limiter of r per key, or nil when r is off.
func newKeyedLimiter(r Rate) *keyedLimiter {
	if !r.On() {
		return nil
	}
	return &keyedLimiter{
		limit:    r.limit(),
		burst:    r.N,
		buckets:  make(map[string]*rate.Limiter),
		overflow: rate.NewLimiter(r.limit(), r.N),
	}
}

// get returns the bucket of key, creating a full one for a new key; nil
// for a nil limiter.
func (k *keyedLimiter) get(key string, now time.Time) *rate.Limiter {
	if k == nil {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if l, ok := k.buckets[key]; ok {
		return l
	}
	// A full map is swept at most once a second, so keys arriving while
	// every bucket is busy do not each pay for a sweep.
	if since := now.Sub(k.lastSweep); since > keyedLimiterSweep || len(k.buckets) >= keyedLimiterMax && since > time.Second {
		k.sweepLocked(now)
	}
	if len(k.buckets) >= keyedLimiterMax {
		return k.overflow
	}
	l := rate.NewLimiter(k.limit, k.burst)
	k.buckets[key] = l
	return l
}

// sweepLocked forgets the buckets that are full at now: a new bucket for
// the same key would be no different. k.mu must be held.
func (k *keyedLimiter) sweepLocked(now time.Time) {
	k.lastSweep = now
	for key, l := range k.buckets {
		if l.TokensAt(now) >= float64(k.burst) {
			delete(k.buckets, key)
		}
	}
}

// len returns how many keys the limiter remembers.
func (k *keyedLimiter) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.buckets)
}
