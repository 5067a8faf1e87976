// The event stream as a table: newest first, the last few hundred rows, every field as text. Rows are added once
// per frame at most, so a burst of thousands of events costs one DOM update.
import { el, setText } from "./dom.js";

const MAX_ROWS = 300;

export class EventLog {
  constructor(table, summary, filterInput, pauseButton) {
    this.body = table.tBodies[0];
    this.summary = summary;
    this.filter = "";
    this.paused = false;
    this.pending = [];
    this.shown = 0;
    this.received = 0;
    this.recent = [];    // the last rows shown, for the test hook
    filterInput.addEventListener("input", () => { this.filter = filterInput.value.toLowerCase(); });
    pauseButton.addEventListener("click", () => {
      this.paused = !this.paused;
      pauseButton.textContent = this.paused ? "resume" : "pause";
    });
    const frame = () => { this.flush(); requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    setInterval(() => { if (document.hidden) this.flush(); }, 500);
  }

  add(events) {
    this.received += events.length;
    if (this.paused) return;
    for (const e of events) this.pending.push(e);
    if (this.pending.length > MAX_ROWS) this.pending.splice(0, this.pending.length - MAX_ROWS);
  }

  matches(e) {
    if (!this.filter) return true;
    return [e.y, e.n, e.m, e.r].some((v) => v != null && String(v).toLowerCase().includes(this.filter));
  }

  flush() {
    if (this.pending.length === 0) return;
    const batch = this.pending.filter((e) => this.matches(e));
    this.pending = [];
    const fragment = document.createDocumentFragment();
    for (let i = batch.length - 1; i >= 0; i--) {
      const e = batch[i];
      const time = new Date(e.t).toISOString().substring(11, 23);
      fragment.appendChild(el("tr", { class: "t-" + e.y }, el("td", null, time), el("td", null, e.n), el("td", null, e.y),
        el("td", null, e.r || ""), el("td", null, e.m || "")));
      this.recent.push({ node: e.n, type: e.y, remote: e.r || null, message: e.m || null });
    }
    if (this.recent.length > MAX_ROWS) this.recent.splice(0, this.recent.length - MAX_ROWS);
    this.body.insertBefore(fragment, this.body.firstChild);
    while (this.body.rows.length > MAX_ROWS) this.body.deleteRow(this.body.rows.length - 1);
    this.shown += batch.length;
    setText(this.summary, `${this.received.toLocaleString("en-US")} received`);
  }
}
