// Which losses are redialed, and the backoff.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ClientClosedError, CloseError, ConnectionLostError, ServerError, TimeoutError } from "../src/errors.js";
import { CloseReason, ErrorCode } from "../src/gen/tickwire/v1/tickwire_pb.js";
import { backoff, DEFAULT_RECONNECT, reconnectable } from "../src/reconnect.js";

test("reconnectable follows the Go client's table", () => {
  const redial: [string, unknown][] = [
    ["network drop 1006", new ConnectionLostError(1006, "")],
    ["going away 1001", new ConnectionLostError(1001, "")],
    ["server error 1011", new ConnectionLostError(1011, "")],
    ["slow consumer", new CloseError(CloseReason.SLOW_CONSUMER, "")],
    ["server full", new CloseError(CloseReason.SERVER_FULL, "")],
    ["handshake timeout", new TimeoutError("handshake", 1)],
    ["a refusal that may pass", new ServerError(ErrorCode.SERVER_FULL, "")],
  ];
  const final: [string, unknown][] = [
    ["close()", new ClientClosedError()],
    ["1000", new ConnectionLostError(1000, "")],
    ["1009", new ConnectionLostError(1009, "")],
    ["1002", new ConnectionLostError(1002, "")],
    ["kicked", new CloseError(CloseReason.KICKED, "")],
    ["replaced", new CloseError(CloseReason.REPLACED, "")],
    ["match ended", new CloseError(CloseReason.MATCH_ENDED, "")],
    ["shutdown", new CloseError(CloseReason.SERVER_SHUTDOWN, "")],
    ["auth failed", new CloseError(CloseReason.AUTH_FAILED, "")],
    ["idle timeout", new CloseError(CloseReason.IDLE_TIMEOUT, "")],
    ["protocol error", new CloseError(CloseReason.PROTOCOL_ERROR, "")],
    ["expired token", new ServerError(ErrorCode.EXPIRED_TOKEN, "")],
    ["refusal closed for good", new ServerError(ErrorCode.BAD_MESSAGE, "", { cause: new CloseError(CloseReason.PROTOCOL_ERROR, "") })],
  ];
  for (const [name, err] of redial) assert.equal(reconnectable(err), true, name);
  for (const [name, err] of final) assert.equal(reconnectable(err), false, name);
});

test("backoff doubles up to the cap, cut by up to half", () => {
  const p = DEFAULT_RECONNECT;
  assert.deepEqual([0, 1, 2, 3, 4, 5, 40].map((n) => backoff(p, n, 0)), [100, 200, 400, 800, 1600, 2000, 2000]);
  assert.equal(backoff(p, 0, 0.999999), 50.00005);
});
