package lobby

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tickwire/tickwire/directory"
	"github.com/tickwire/tickwire/directory/redistest"
	"github.com/tickwire/tickwire/netcode/client"
)

// TestClusterSessionRecordsGo: the directory forgets a session once its
// connection is gone and it holds no seat: at once after a goodbye, at the
// end of the reconnection grace after a dropped connection. (Every guest's
// record used to stay a day, so sign-ins alone could fill Redis.)
func TestClusterSessionRecordsGo(t *testing.T) {
	srv := redistest.Start(t)
	node := startNode(t, srv, "n0", func(c *Config) { c.ReconnectGrace = 500 * time.Millisecond })
	rdb, err := directory.NewClient(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	records := func() int {
		t.Helper()
		keys, err := rdb.Keys(ctx, "*session:*").Result()
		if err != nil {
			t.Fatal(err)
		}
		return len(keys)
	}
	waitRecords := func(want int, what string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for records() != want {
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d session records, want %d", what, records(), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	var clients []*client.Client
	for i := range 4 {
		c, err := client.Dial(ctx, client.ClientConfig{URL: node.url, Name: fmt.Sprintf("p%d", i), PingInterval: -1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Join(ctx, "", ""); err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	waitRecords(4, "four players seated")
	for _, c := range clients[:3] {
		c.Close()
	}
	waitRecords(1, "three said goodbye")
	clients[3].DropConnection()
	time.Sleep(200 * time.Millisecond) // within the grace: the record stays for the seat
	if n := records(); n != 1 {
		t.Fatalf("a dropped player's seat held: %d session records, want 1", n)
	}
	waitRecords(0, "the grace over")
}
