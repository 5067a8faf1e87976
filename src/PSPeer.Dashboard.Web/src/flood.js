// A Gnutella flood's reach by hop: from the QueryReceived events of the shown nodes, the nodes each query reached
// first at each hop count (duplicates arrive later on longer paths and are not counted again).
import { el, clear, setText } from "./dom.js";

const MAX_FLOODS = 50;

export class FloodView {
  constructor(container, title) {
    this.container = container;
    this.title = title;
    this.floods = new Map();   // guid -> { query, seen: Map(node -> hop), byHop: [], hits, origin }
    this.latest = null;
    this.dirty = false;
    setInterval(() => this.render(), 300);
  }

  add(events) {
    for (const e of events) {
      if (e.y !== "QueryReceived" && e.y !== "SearchHit") continue;
      if (e.y === "SearchHit") { if (this.latest) { this.latest.hits++; this.dirty = true; } continue; }
      const guid = e.d && e.d.guid;
      if (!guid) continue;
      let f = this.floods.get(guid);
      if (!f) {
        f = { guid, query: e.m || "", seen: new Map(), byHop: [], hits: 0 };
        this.floods.set(guid, f);
        if (this.floods.size > MAX_FLOODS) this.floods.delete(this.floods.keys().next().value);
      }
      const node = e.s + "/" + e.n;
      if (f.seen.has(node)) continue;
      const hop = Number(e.d.hops) || 0;
      f.seen.set(node, hop);
      f.byHop[hop] = (f.byHop[hop] || 0) + 1;
      this.latest = f;
      this.dirty = true;
    }
  }

  /** The hop count at which a flood first reached a node, for coloring it. */
  hopOf(e) {
    const f = e.d && e.d.guid && this.floods.get(e.d.guid);
    return f ? f.seen.get(e.s + "/" + e.n) : undefined;
  }

  render() {
    if (!this.dirty) return;
    this.dirty = false;
    const f = this.latest;
    clear(this.container);
    if (!f) return;
    setText(this.title, `query "${f.query}": ${f.seen.size.toLocaleString("en-US")} nodes reached, ${f.hits} hit(s) seen`);
    const max = Math.max(1, ...f.byHop.filter((v) => v));
    let cumulative = 0;
    const first = f.byHop.findIndex((v) => v > 0);
    for (let hop = Math.max(0, first); hop < f.byHop.length; hop++) {
      const n = f.byHop[hop] || 0;
      cumulative += n;
      this.container.appendChild(el("div", { class: "bar-row", "data-hop": hop },
        el("span", { class: "bar-label" }, `hops ${hop}`),
        el("span", { class: "bar", style: `width:${(100 * n) / max}%` }),
        el("span", { class: "bar-value" }, `${n} (total ${cumulative})`)));
    }
  }

  snapshot() {
    const f = this.latest;
    return f ? { query: f.query, reached: f.seen.size, byHop: Array.from(f.byHop, (v) => v || 0), hits: f.hits } : null;
  }
}
