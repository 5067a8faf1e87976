// A torrent swarm: each seeder and leecher with its pieces (64 buckets, shaded by the share held), its rates, and
// the peers it talks to with their client names (attacker-chosen text: shown as text).
import { el, clear, formatNumber } from "./dom.js";

export class SwarmView {
  constructor(panel, container) {
    this.panel = panel;
    this.container = container;
    this.peers = [];
  }

  update(swarm) {
    this.peers = swarm || [];
    this.panel.hidden = this.peers.length === 0;
    if (this.panel.hidden) return;
    clear(this.container);
    const table = el("table", { class: "swarm" },
      el("thead", null, el("tr", null, ...["node", "role", "pieces", "done", "down", "up", "peers"].map((h) => el("th", null, h)))));
    const body = el("tbody");
    for (const p of this.peers) {
      const cells = el("span", { class: "pieces", title: `${p.pieces} pieces` });
      for (const c of p.have) cells.appendChild(el("i", { style: `opacity:${0.08 + (0.92 * parseInt(c, 16)) / 15}` }));
      const peerList = p.peers.map((x) => `${x.endPoint} ${x.client || "?"} ${Math.round(x.progress * 100)}%`).join("\n");
      body.appendChild(el("tr", { "data-node": p.id },
        el("td", null, p.name), el("td", null, p.role), el("td", null, cells),
        el("td", null, `${Math.round(p.progress * 100)}%`),
        el("td", null, formatNumber(p.down) + "B/s"), el("td", null, formatNumber(p.up) + "B/s"),
        el("td", { title: peerList }, String(p.peers.length))));
    }
    table.appendChild(body);
    this.container.appendChild(table);
  }
}
