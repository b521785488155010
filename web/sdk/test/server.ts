// A real tickwire server for the SDK's end-to-end tests: built with go
// build (or TICKWIRE_SERVER_BIN), started on a free port of 127.0.0.1.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** repo is the repository's root (the compiled test runs from web/.build/sdk/test). */
const repo = fileURLToPath(new URL("../../../../", import.meta.url));

/** TickwireServer is a running tickwire process. */
export class TickwireServer {
  readonly proc: ChildProcess;
  /** url is the server's WebSocket endpoint. */
  readonly url: string;
  readonly #cleanup: () => void;

  private constructor(proc: ChildProcess, addr: string, cleanup: () => void) {
    this.proc = proc;
    this.url = `ws://${addr}/ws`;
    this.#cleanup = cleanup;
  }

  /**
   * start builds the server (with -race when TICKWIRE_RACE=1) unless
   * TICKWIRE_SERVER_BIN names one, runs it with args on 127.0.0.1:0 and
   * resolves once it says where it listens.
   */
  static async start(args: string[]): Promise<TickwireServer> {
    let bin = process.env.TICKWIRE_SERVER_BIN ?? "";
    let dir = "";
    if (!bin) {
      dir = mkdtempSync(join(tmpdir(), "tickwire-sdk-test-"));
      bin = join(dir, "tickwire");
      const race = process.env.TICKWIRE_RACE === "1" ? ["-race"] : [];
      const b = spawnSync("go", ["build", ...race, "-o", bin, "./cmd/tickwire"], { cwd: repo, stdio: "inherit" });
      if (b.status !== 0) throw new Error("go build ./cmd/tickwire failed");
    }
    const cleanup = () => dir && rmSync(dir, { recursive: true, force: true });
    const proc = spawn(bin, ["-addr", "127.0.0.1:0", "-admin-addr", "", "-log-format", "json", ...args], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const addr = await new Promise<string>((resolve, reject) => {
      let buf = "";
      const timer = setTimeout(() => reject(new Error(`tickwire did not start: ${buf}`)), 60000);
      proc.stderr!.setEncoding("utf8");
      proc.stderr!.on("data", (chunk: string) => {
        buf += chunk;
        for (const line of buf.split("\n")) {
          if (!line.includes("tickwire listening")) continue;
          try {
            clearTimeout(timer);
            resolve(JSON.parse(line).addr);
          } catch (e) {
            reject(e);
          }
        }
        buf = buf.slice(-4096);
      });
      proc.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`tickwire exited with ${code}: ${buf}`));
      });
    });
    // Keep draining its logs so it never blocks on a full pipe.
    proc.stderr!.removeAllListeners("data");
    proc.stderr!.resume();
    return new TickwireServer(proc, addr, cleanup);
  }

  /** stop sends SIGTERM and resolves with the exit code once the server has shut down. */
  stop(): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.proc.exitCode !== null) {
        this.#cleanup();
        resolve(this.proc.exitCode);
        return;
      }
      this.proc.on("exit", (code) => {
        this.#cleanup();
        resolve(code);
      });
      this.proc.kill("SIGTERM");
    });
  }
}
