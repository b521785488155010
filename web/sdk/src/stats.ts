// A Client's counters and measurements.

/**
 * ClientStats are a Client's counters since connect, across reconnections.
 * Every snapshot the client did not apply is counted under its reason.
 */
export interface ClientStats {
  /** snapshots counts applied, verified snapshots; fullSnapshots those with base tick 0. */
  snapshots: number;
  /** fullSnapshots counts applied full snapshots. */
  fullSnapshots: number;
  /** staleSnapshots counts snapshots dropped for not being newer than the newest applied. */
  staleSnapshots: number;
  /** missingBaseSnapshots counts snapshots whose base tick was not held (each asks for a resync). */
  missingBaseSnapshots: number;
  /** unexpectedSnapshots counts snapshots that came without a seat. */
  unexpectedSnapshots: number;
  /** desyncs counts snapshots whose result failed the checksum. */
  desyncs: number;
  /** decodeErrors counts frames or deltas that did not decode (a malformed delta, a refused schema). */
  decodeErrors: number;
  /** resyncRequests counts ResyncRequest messages sent. */
  resyncRequests: number;
  /** bytesIn counts payload bytes received. */
  bytesIn: number;
  /** bytesOut counts payload bytes sent. */
  bytesOut: number;
  /** framesIn counts frames received. */
  framesIn: number;
  /** framesOut counts frames sent. */
  framesOut: number;
  /** inputsSent counts inputs made by sendInput (not their repeats). */
  inputsSent: number;
  /** inputsAcked counts inputs the server reported applied. */
  inputsAcked: number;
  /** inputsUnackedDropped counts inputs forgotten unacknowledged because too many were pending. */
  inputsUnackedDropped: number;
  /** inputsDroppedReconnecting counts inputs forgotten while redialing (only the newest few are kept). */
  inputsDroppedReconnecting: number;
  /** lastAppliedInputSeq is the highest input seq the server reported applied. */
  lastAppliedInputSeq: number;
  /** inputAckLatencyMs is the newest input → "applied" report latency; inputAckLatencySmoothedMs its running average. */
  inputAckLatencyMs: number;
  /** inputAckLatencySmoothedMs is the running average of inputAckLatencyMs. */
  inputAckLatencySmoothedMs: number;
  /** lastTick is the tick of the newest applied snapshot (the ack). */
  lastTick: number;
  /** rttMs is the newest round-trip time. */
  rttMs: number;
  /** rttSmoothedMs is the running average round-trip time. */
  rttSmoothedMs: number;
  /** clockOffsetMs is the estimated server clock minus the local clock. */
  clockOffsetMs: number;
  /** clockSamples counts accepted Ping/Pong (and Hello/Welcome) samples. */
  clockSamples: number;
  /** unmatchedPongs counts pongs ignored for echoing no recent ping. */
  unmatchedPongs: number;
  /** disconnects counts losses that started a reconnection. */
  disconnects: number;
  /** reconnects counts redials that got a Welcome. */
  reconnects: number;
  /** reconnectFailures counts redial attempts that did not. */
  reconnectFailures: number;
  /** predictionErrorLast is how far (raw position units) the prediction for the newest acknowledged input was off. */
  predictionErrorLast: number;
  /** predictionErrorMax is the largest predictionErrorLast seen. */
  predictionErrorMax: number;
}

/** newStats returns zeroed stats. */
export function newStats(): ClientStats {
  return {
    snapshots: 0,
    fullSnapshots: 0,
    staleSnapshots: 0,
    missingBaseSnapshots: 0,
    unexpectedSnapshots: 0,
    desyncs: 0,
    decodeErrors: 0,
    resyncRequests: 0,
    bytesIn: 0,
    bytesOut: 0,
    framesIn: 0,
    framesOut: 0,
    inputsSent: 0,
    inputsAcked: 0,
    inputsUnackedDropped: 0,
    inputsDroppedReconnecting: 0,
    lastAppliedInputSeq: 0,
    inputAckLatencyMs: 0,
    inputAckLatencySmoothedMs: 0,
    lastTick: 0,
    rttMs: 0,
    rttSmoothedMs: 0,
    clockOffsetMs: 0,
    clockSamples: 0,
    unmatchedPongs: 0,
    disconnects: 0,
    reconnects: 0,
    reconnectFailures: 0,
    predictionErrorLast: 0,
    predictionErrorMax: 0,
  };
}
