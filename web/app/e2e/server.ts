// A real tickwire server for the browser tests: the built binary on a free
// loopback port, with its admin API on another, stopped with SIGTERM.

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";

/** Server is a running tickwire process. */
export interface Server {
  /** base is the server's http://127.0.0.1:PORT. */
  base: string;
  /** admin is the admin API's http://127.0.0.1:PORT. */
  admin: string;
  /** adminToken is the bearer token the admin API takes. */
  adminToken: string;
  /** log is what the server printed so far. */
  log(): string;
  /** stop sends SIGTERM and waits for the exit (SIGKILL after 15 s). */
  stop(): Promise<number | null>;
}

/** startServer runs bin with extra flags and resolves once both listeners are up. */
export async function startServer(bin: string, flags: string[] = []): Promise<Server> {
  const adminToken = randomBytes(24).toString("hex");
  const proc: ChildProcess = spawn(bin, ["-addr", "127.0.0.1:0", "-admin-addr", "127.0.0.1:0", "-admin-token", adminToken, "-log-level", "info", ...flags], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  const listening = new Promise<{ base: string; admin: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 20000);
    proc.stderr!.setEncoding("utf8");
    proc.stderr!.on("data", (chunk: string) => {
      log += chunk;
      const base = /tickwire listening"? addr=(\S+)/.exec(log)?.[1];
      const admin = /admin API listening"? addr=(\S+)/.exec(log)?.[1];
      if (base && admin) {
        clearTimeout(timer);
        resolve({ base: `http://${base}`, admin: `http://${admin}` });
      }
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
  let addrs: { base: string; admin: string };
  try {
    addrs = await listening;
  } catch (e) {
    proc.kill("SIGKILL");
    await exited;
    throw e;
  }
  return {
    ...addrs,
    adminToken,
    log: () => log,
    async stop() {
      proc.kill("SIGTERM");
      const kill = setTimeout(() => proc.kill("SIGKILL"), 15000);
      const code = await exited;
      clearTimeout(kill);
      return code;
    },
  };
}
