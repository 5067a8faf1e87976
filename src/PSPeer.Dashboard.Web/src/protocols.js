// Counters of the systems that have a table of their own rather than a chart: a Chord ring (lookups, messages, keys
// held) and a Napster index (searches, files indexed). Totals as the nodes count them, summed over the scope, and
// per-second rates for the counters that only grow. The status sends a protocol only when the scope has its nodes.
import { el, clear, formatNumber } from "./dom.js";

// Per protocol: [counter, label, rate shown]. Levels (nodes, keys held, files) get no rate.
const ROWS = {
  Chord: [["nodes", "nodes", false], ["lookups", "lookups", true], ["messages", "messages sent", true], ["keys", "keys held (replicas included)", false]],
  Napster: [["servers", "index servers", false], ["searches", "searches answered", true], ["files", "files indexed", false]],
};

export class ProtocolTables {
  constructor(panel, container) {
    this.panel = panel;
    this.container = container;
    this.last = null;
    this.shown = {};   // "Chord.lookups" -> the total on the page now
  }

  update(status) {
    const protocols = status.protocols || {};
    const names = Object.keys(protocols).filter((p) => ROWS[p]);
    const prev = this.last;
    this.last = { t: status.t, protocols };
    this.panel.hidden = names.length === 0;
    if (this.panel.hidden) return;
    const dt = prev && status.t > prev.t ? status.t - prev.t : 0;
    clear(this.container);
    this.shown = {};
    for (const name of names) {
      const values = protocols[name];
      const before = dt && prev.protocols[name];
      const body = el("tbody");
      for (const [key, label, rated] of ROWS[name]) {
        const value = values[key] ?? 0;
        this.shown[`${name}.${key}`] = value;
        const rate = rated && before ? Math.max(0, (value - (before[key] ?? 0)) / dt) : null;
        body.appendChild(el("tr", null,
          el("td", null, label),
          el("td", { class: "num", "data-counter": `${name}.${key}` }, value.toLocaleString("en-US")),
          el("td", { class: "num rate" }, rate == null ? "" : formatNumber(rate) + "/s")));
      }
      this.container.appendChild(el("table", { class: "protocol", "data-protocol": name },
        el("caption", null, name === "Chord" ? "Chord ring" : "Napster index"), body));
    }
  }
}
