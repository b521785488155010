// The arena-move scenario on Colyseus 0.18: rooms of 16 players whose state
// is a map of x/y float32 positions, a 60 Hz simulation, 20 Hz patches, and
// players moving at 100 units/s in the direction of their last input.
//
//   node server.mjs -port 2567
//
// The room is what a Colyseus user would write for this scenario, with
// nothing tuned for the benchmark beyond the rates. The playable area and
// the speed are arena's (1600 × 1000 world units, 100 units/s).
import { Server, Room } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { schema, t, MapSchema } from "@colyseus/schema";

const WIDTH = 1600;
const HEIGHT = 1000;
const SPEED = 100; // world units per second
const TICK_MS = 1000 / 60;
const PATCH_MS = 50;

const Player = schema({ x: t.float32(), y: t.float32() }, "Player");
const State = schema({ players: t.map(Player) }, "State");

class ArenaRoom extends Room {
  maxClients = 16;
  state = new State();

  // move: [x, y] move axes; the player runs at full speed along them.
  messages = {
    move: (client, m) => {
      const p = this.dirs.get(client.sessionId);
      if (!p || !Array.isArray(m)) return;
      const len = Math.hypot(m[0], m[1]);
      if (len > 0) {
        p.dx = m[0] / len;
        p.dy = m[1] / len;
      } else {
        p.dx = 0;
        p.dy = 0;
      }
    },
  };

  onCreate() {
    this.dirs = new Map(); // sessionId → direction, server-side only
    this.state.players = new MapSchema();
    this.setPatchRate(PATCH_MS);
    this.setSimulationInterval(() => this.step(), TICK_MS);
  }

  onJoin(client) {
    const p = new Player();
    p.x = Math.random() * WIDTH;
    p.y = Math.random() * HEIGHT;
    this.state.players.set(client.sessionId, p);
    this.dirs.set(client.sessionId, { dx: 0, dy: 0 });
  }

  onLeave(client) {
    this.state.players.delete(client.sessionId);
    this.dirs.delete(client.sessionId);
  }

  step() {
    const d = (SPEED * TICK_MS) / 1000;
    for (const [id, dir] of this.dirs) {
      if (dir.dx === 0 && dir.dy === 0) continue;
      const p = this.state.players.get(id);
      p.x = Math.min(WIDTH, Math.max(0, p.x + dir.dx * d));
      p.y = Math.min(HEIGHT, Math.max(0, p.y + dir.dy * d));
    }
  }
}

function flag(name, def) {
  const i = process.argv.indexOf("-" + name);
  return i >= 0 ? process.argv[i + 1] : def;
}

const port = Number(flag("port", "2567"));
const server = new Server({ transport: new WebSocketTransport(), greet: false });
server.define("arena", ArenaRoom);
await server.listen(port, "127.0.0.1");
console.error(`peer: colyseus listening on 127.0.0.1:${port}`);
