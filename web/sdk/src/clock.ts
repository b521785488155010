// Clock sync from Ping/Pong (docs/protocol.md, "Clock and round-trip time").

/** CLOCK_WINDOW is how many recent samples the lowest-RTT filter looks at. */
const CLOCK_WINDOW = 8;
/** CLOCK_SMOOTHING is the weight of a new filtered offset in the estimate. */
const CLOCK_SMOOTHING = 0.25;

/** nowUs returns the local monotonic clock in whole microseconds. */
export function nowUs(): number {
  return Math.round(performance.now() * 1000);
}

/**
 * ClockSync estimates the round-trip time and the offset of the server's
 * clock from the local one. Each sample's offset is server + rtt/2 − now;
 * the estimate follows the offset of the lowest-RTT sample among the last
 * 8 (the one least delayed by queues), smoothed.
 */
export class ClockSync {
  #window: { rttUs: number; offsetUs: number }[] = [];
  #offsetUs = 0;
  #rttUs = 0;
  #rttSmoothUs = 0;
  #samples = 0;

  /**
   * addSample records a round trip: sentUs and recvUs the local clock when
   * the Ping (or Hello) left and the Pong (or Welcome) came, serverUs the
   * server clock it carried. A negative round trip is ignored (false).
   */
  addSample(sentUs: number, serverUs: number, recvUs: number): boolean {
    const rtt = recvUs - sentUs;
    if (rtt < 0) return false;
    this.#window.push({ rttUs: rtt, offsetUs: serverUs + Math.trunc(rtt / 2) - recvUs });
    if (this.#window.length > CLOCK_WINDOW) this.#window.shift();
    let best = this.#window[0];
    for (const w of this.#window) if (w.rttUs < best.rttUs) best = w;
    if (this.#samples === 0) {
      this.#offsetUs = best.offsetUs;
      this.#rttSmoothUs = rtt;
    } else {
      this.#offsetUs += CLOCK_SMOOTHING * (best.offsetUs - this.#offsetUs);
      this.#rttSmoothUs += (rtt - this.#rttSmoothUs) / 8;
    }
    this.#rttUs = rtt;
    this.#samples++;
    return true;
  }

  /** samples returns how many samples were accepted. */
  get samples(): number {
    return this.#samples;
  }

  /** offsetUs returns the estimated server clock minus the local clock, in µs. */
  get offsetUs(): number {
    return Math.trunc(this.#offsetUs);
  }

  /** rttUs returns the newest round-trip time in µs. */
  get rttUs(): number {
    return this.#rttUs;
  }

  /** rttSmoothedUs returns the running average round-trip time in µs. */
  get rttSmoothedUs(): number {
    return this.#rttSmoothUs;
  }

  /** serverTime converts a local clock reading (µs) to the estimated server clock. */
  serverTime(localUs: number): number {
    return localUs + this.offsetUs;
  }
}
