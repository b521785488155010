package lobby

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// openRooms opens n public quick-play rooms of one seat each, seated by
// links that discard everything.
func openRooms(t *testing.T, r *Registry, n int) {
	t.Helper()
	for i := range n {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, _, err := r.Join(ctx, JoinRequest{}, fmt.Sprintf("p%d", i), discardLink{})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestFinding3ListingsPaginatedAndCached reproduces finding 3 of the
// hardening review: listings were unpaginated (with 1,000 rooms a 2-byte
// ListRooms drew 29 KB) and encoded for every request, so a few
// connections listing 110 times a second pushed everyone's latency up. A
// listing is now a page (50 rooms by default, 100 at most) with a cursor,
// encoded once per change of the room set and served from a cache
// otherwise, within a budget per address, per session and server-wide.
func TestFinding3ListingsPaginatedAndCached(t *testing.T) {
	const rooms = 230
	fd := startFrontDoor(t, func(c *Config) {
		c.Rooms.SlowConsumerAfter = -1 // the rooms' links discard what they get
		c.Limits.ListsPerSession = Rate{N: 5, Per: time.Minute}
		c.Limits.ListsPerAddr = Rate{N: 12, Per: time.Minute}
	}, slowArena(1))
	openRooms(t, fd.registry, rooms)

	c := mustDialFrom(t, fd.url, loopback(1), "browser", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// The Go client's first page: 50 rooms, then a cursor.
	seen := map[string]bool{}
	list, err := c.ListRoomsPage(ctx, "", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.GetRooms()) != DefaultListPage || list.GetTotal() != rooms || list.GetNextCursor() == "" {
		t.Fatalf("first page: %d rooms of %d, cursor %q; want %d, %d and a cursor", len(list.GetRooms()), list.GetTotal(), list.GetNextCursor(), DefaultListPage, rooms)
	}
	frame, _ := proto.Marshal(&pb.ServerMessage{Body: &pb.ServerMessage_RoomList{RoomList: list}})
	if len(frame) > 4096 {
		t.Errorf("a page of %d rooms takes %d bytes, want it bounded", len(list.GetRooms()), len(frame))
	}
	pages := 1
	for _, r := range list.GetRooms() {
		seen[r.GetRoomId()] = true
	}
	// The rest in pages of at most 100, however many are asked for.
	for cursor := list.GetNextCursor(); cursor != ""; cursor = list.GetNextCursor() {
		if list, err = c.ListRoomsPage(ctx, "", cursor, 1000); err != nil {
			t.Fatal(err)
		}
		pages++
		if len(list.GetRooms()) > MaxListPage {
			t.Fatalf("page %d has %d rooms, more than %d", pages, len(list.GetRooms()), MaxListPage)
		}
		for _, r := range list.GetRooms() {
			if seen[r.GetRoomId()] {
				t.Fatalf("room %s on two pages", r.GetRoomId())
			}
			seen[r.GetRoomId()] = true
		}
	}
	if len(seen) != rooms || pages != 3 {
		t.Errorf("%d pages listed %d rooms, want 3 pages (50, 100, 80) listing all %d", pages, len(seen), rooms)
	}

	// A session past its listing budget (5 a minute, 3 spent) is refused,
	// and stays connected.
	sessionRefused := metricValue(t, "tickwire_requests_refused_total", "reason", "list_session")
	for range 2 {
		if _, err := c.ListRooms(ctx, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.ListRooms(ctx, ""); !isServerError(err, pb.ErrorCode_ERROR_CODE_RATE_LIMITED) {
		t.Fatalf("listing past the session's budget: %v, want RATE_LIMITED", err)
	}
	if d := metricValue(t, "tickwire_requests_refused_total", "reason", "list_session") - sessionRefused; d != 1 {
		t.Errorf("%v listings counted over the session's budget, want 1", d)
	}
	// The address has 12 a minute, 5 spent (a refusal spends nothing): 7
	// more, over HTTP, then 429.
	hc := httpFrom(loopback(1))
	for i := range 8 {
		resp, err := hc.Get("http://" + fd.addr + "/v1/rooms?limit=10")
		if err != nil {
			t.Fatal(err)
		}
		want := http.StatusOK
		if i == 7 {
			want = http.StatusTooManyRequests
		}
		if resp.StatusCode != want {
			t.Fatalf("GET /v1/rooms %d from the address: %s, want %d", i, resp.Status, want)
		}
		if i == 0 {
			var page RoomsJSON
			if err := json.NewDecoder(resp.Body).Decode(&page); err != nil || len(page.Rooms) != 10 || page.Total != rooms || page.NextCursor == "" {
				t.Errorf("GET /v1/rooms?limit=10: %d rooms of %d, cursor %q, %v", len(page.Rooms), page.Total, page.NextCursor, err)
			}
		}
		discard(resp)
	}
	// Another address is not held back.
	other := mustDialFrom(t, fd.url, loopback(2), "other", nil)
	if _, err := other.ListRooms(ctx, ""); err != nil {
		t.Fatalf("another address's listing: %v", err)
	}

	// With no room changing, the same page is not encoded again.
	encoded := metricValue(t, "tickwire_listings_total", "source", "encoded")
	cached := metricValue(t, "tickwire_listings_total", "source", "cache")
	for range 3 {
		if _, err := other.ListRooms(ctx, ""); err != nil {
			t.Fatal(err)
		}
	}
	gotEncoded := metricValue(t, "tickwire_listings_total", "source", "encoded") - encoded
	gotCached := metricValue(t, "tickwire_listings_total", "source", "cache") - cached
	// The cache keeps a page at most a second (rooms' ages move), so a
	// slow run may encode one of the three again.
	if gotEncoded+gotCached != 3 || gotCached < 2 {
		t.Errorf("3 identical listings: %v encoded, %v from the cache; want at least 2 from the cache", gotEncoded, gotCached)
	}
	// A room opening changes the listing: the next one is fresh.
	openRooms(t, fd.registry, 1)
	list, err = other.ListRoomsPage(ctx, "", "", 0)
	if err != nil || list.GetTotal() != rooms+1 {
		t.Fatalf("listing after a room opened: total %d, %v; want %d", list.GetTotal(), err, rooms+1)
	}
}

// TestRefusalsCloseAPersistentClient: a client that keeps asking after
// its requests are refused is closed with PROTOCOL_ERROR, so that a
// budget's refusals cannot be turned into work of their own.
func TestRefusalsCloseAPersistentClient(t *testing.T) {
	fd := startFrontDoor(t, func(c *Config) {
		c.Limits.ListsPerSession = Rate{N: 1, Per: time.Minute}
		c.Limits.RefusalsPerConn = Rate{N: 3, Per: time.Minute}
	}, nil)
	c := mustDialFrom(t, fd.url, loopback(1), "lister", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.ListRooms(ctx, ""); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := c.ListRooms(ctx, ""); !isServerError(err, pb.ErrorCode_ERROR_CODE_RATE_LIMITED) {
			t.Fatalf("refusal %d: %v, want RATE_LIMITED", i, err)
		}
	}
	before := metricValue(t, "tickwire_requests_refused_total", "reason", "refusals_conn")
	_, _ = c.ListRooms(ctx, "")
	if r := closeReason(t, c); r != pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR {
		t.Fatalf("closed with %v, want PROTOCOL_ERROR", r)
	}
	if d := metricValue(t, "tickwire_requests_refused_total", "reason", "refusals_conn") - before; d != 1 {
		t.Errorf("%v closes counted, want 1", d)
	}
}
