// Events of a simulation carry virtual time and arrive as fast as the simulation runs (a flood of 2,000 nodes in a
// blink). The replay clock lets them out on virtual time at the speed the user picks, skipping stretches where
// nothing happened. Live events pass straight through. The queue is bounded: past it the oldest are skipped, counted.
const MAX_QUEUE = 200000;
const IDLE_JUMP_MS = 1000;   // virtual gap after which the clock jumps to the next event instead of waiting it out

export class ReplayClock {
  constructor(onRelease) {
    this.onRelease = onRelease;
    this.queue = [];
    this.head = 0;
    this.speed = 1;
    this.virtualNow = null;
    this.skipped = 0;
    this.lastWall = performance.now();
    const tick = () => { this.step(); requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    // Background tabs get no animation frames: keep releasing, more coarsely.
    setInterval(() => { if (document.hidden) this.step(); }, 250);
  }

  get pending() { return this.queue.length - this.head; }

  push(events, simulated) {
    if (!simulated || this.speed === 0) { this.onRelease(events); return; }
    for (const e of events) this.queue.push(e);
    const over = this.pending - MAX_QUEUE;
    if (over > 0) { this.head += over; this.skipped += over; }
  }

  step() {
    const now = performance.now();
    const dt = now - this.lastWall;
    this.lastWall = now;
    if (this.pending === 0) return;
    const next = this.queue[this.head].t;
    if (this.virtualNow == null || next - this.virtualNow > IDLE_JUMP_MS) this.virtualNow = next;
    else this.virtualNow += dt * this.speed;
    const out = [];
    while (this.head < this.queue.length && (this.speed === 0 || this.queue[this.head].t <= this.virtualNow)) out.push(this.queue[this.head++]);
    if (this.head > 50000) { this.queue = this.queue.slice(this.head); this.head = 0; }
    if (out.length) this.onRelease(out);
  }

  setSpeed(speed) {
    this.speed = speed;
    if (speed === 0) this.step();
  }
}
