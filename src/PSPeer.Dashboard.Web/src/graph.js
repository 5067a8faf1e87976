// The topology: graphology holds the nodes and links, sigma draws them with WebGL (thousands of nodes at a smooth
// frame rate), ForceAtlas2 lays a mesh out. Each system is its own view, side by side: "force" for meshes and stars,
// "ring" for systems whose nodes have a place on an identifier circle (Chord), so a new system adds a layout, not a page.
import Graph from "graphology";
import Sigma from "sigma";
import forceAtlas2 from "graphology-layout-forceatlas2";
import { el, clear, setText } from "./dom.js";

const ROLE_COLORS = {
  Ultrapeer: "#1f5fbf", Leaf: "#7fb2f0", IndexServer: "#7b3fb5", Peer: "#2e9e5b",
  Tracker: "#7b3fb5", Seeder: "#2e9e5b", Leecher: "#e08a1e", Servent: "#1f5fbf",
};
const DOWN_COLOR = "#b9b9b9";
const FLASH_MS = 1600;
const HOP_COLORS = ["#d62728", "#ff7f0e", "#f2b701", "#bcbd22", "#17becf", "#9467bd", "#8c564b", "#e377c2"];

const FINGER_COLOR = "#e67e22";   // a selected Chord node's fingers
const PATH_COLOR = "#d62728";     // the last Chord lookup's path
const SYSTEM_WIDTH = 1000;   // layout units per system view; views sit side by side

export class TopologyView {
  constructor(container, legend, summary) {
    this.container = container;
    this.legend = legend;
    this.summary = summary;
    this.graph = new Graph({ type: "undirected", multi: false });
    this.flash = new Map();       // node id -> { until, color }
    this.changed = new Set();     // nodes lit since the last redraw
    this.error = null;
    // Chord rings: a node's fingers (by node id) and address, the node the user selected, the last lookup's path.
    this.fingers = new Map();
    this.byEndPoint = new Map();   // "system|address:port" -> node id
    this.selected = null;
    this.path = [];
    try {
      this.sigma = new Sigma(this.graph, container, {
        renderLabels: true,
        labelRenderedSizeThreshold: 9,
        defaultEdgeColor: "#d5d9e0",
        allowInvalidContainer: true,
        hideEdgesOnMove: true,
        zIndex: true,
        nodeReducer: (node, data) => this.reduceNode(node, data),
        edgeReducer: (edge, data) => (data.hl ? { ...data, color: data.hl, size: 2, zIndex: 1 } : data),
      });
    } catch (e) {
      // No WebGL here: say so on the page instead of drawing nothing silently.
      this.error = "The graph needs WebGL, which this browser does not offer: " + e.message;
      container.appendChild(el("p", { class: "error" }, this.error));
    }
    this.renderedNodes = 0;
    if (this.sigma) {
      this.sigma.on("afterRender", () => { this.renderedNodes = this.graph.order; });
      this.sigma.on("clickNode", ({ node }) => this.select(node));
      this.sigma.on("clickStage", () => this.select(null));
    }
    setInterval(() => this.fade(), 200);
  }

  reduceNode(node, data) {
    const f = this.flash.get(node);
    if (!f) return node === this.selected ? { ...data, size: data.size * 1.8, zIndex: 1, forceLabel: true } : data;
    return { ...data, color: f.color, size: data.size * 1.8, zIndex: 1, forceLabel: false };
  }

  // Redraws only the nodes whose flash began or ended since the last time: a full refresh re-processes every node,
  // which on 10,000 nodes costs more than a frame.
  fade() {
    if (!this.sigma) return;
    const now = performance.now();
    const changed = this.changed;
    this.changed = new Set();
    for (const [node, f] of this.flash) if (f.until < now) { this.flash.delete(node); changed.add(node); }
    const nodes = [...changed].filter((n) => this.graph.hasNode(n));
    if (nodes.length) this.sigma.refresh({ partialGraph: { nodes }, skipIndexation: true });
  }

  /** Lights a node up: an event happened there (colored by hop for a flood). */
  light(nodeId, hop) {
    if (!this.graph.hasNode(nodeId)) return false;
    // A node a flood reached keeps its hop's colour while the flood's other events there (duplicates, TTL) arrive.
    const previous = this.flash.get(nodeId);
    const color = hop != null ? HOP_COLORS[Math.min(hop, HOP_COLORS.length - 1)] : previous ? previous.color : "#d62728";
    this.flash.set(nodeId, { until: performance.now() + FLASH_MS, color });
    this.changed.add(nodeId);
    return true;
  }

  /** Replaces what is drawn with the server's state; keeps the positions of nodes that stay. */
  update(state) {
    const g = this.graph;
    const wanted = new Set(state.nodes.map((n) => n.id));
    for (const id of g.nodes()) if (!wanted.has(id)) g.dropNode(id);
    const systems = new Map(state.systems.map((s, i) => [s.id, { ...s, index: i }]));
    const added = new Set();
    for (const n of state.nodes) {
      const attrs = {
        label: n.name,
        size: n.role === "Leaf" ? 3 : n.role === "Ultrapeer" || n.role === "Servent" ? 5 : 7,
        color: n.state === "Running" ? (ROLE_COLORS[n.role] || "#555") : DOWN_COLOR,
        role: n.role, state: n.state, sys: n.sys, ring: n.ring,
      };
      if (g.hasNode(n.id)) g.mergeNodeAttributes(n.id, attrs);
      else {
        g.addNode(n.id, { ...attrs, x: Math.random(), y: Math.random() });
        added.add(n.sys);
      }
    }
    g.clearEdges();
    for (const [a, b] of state.links) {
      const s = state.nodes[a].id, t = state.nodes[b].id;
      if (s !== t && !g.hasEdge(s, t)) g.addEdge(s, t);
    }
    this.fingers.clear();
    this.byEndPoint.clear();
    for (const n of state.nodes) {
      if (n.fingers) this.fingers.set(n.id, n.fingers.map((f) => state.nodes[f].id));
      if (n.ep) this.byEndPoint.set(n.sys + "|" + n.ep, n.id);
    }
    if (this.selected && !g.hasNode(this.selected)) this.selected = null;
    this.path = this.path.filter((id) => g.hasNode(id));
    this.overlay();
    for (const sys of systems.values()) if (added.has(sys.id)) this.layout(sys, state.nodes.filter((n) => n.sys === sys.id));
    this.drawLegend(state);
    // Every label while the graph is small; on larger graphs only the bigger nodes' (sigma then thins them by zoom).
    if (this.sigma) this.sigma.setSetting("labelRenderedSizeThreshold", g.order <= 200 ? 0 : 9);
    setText(this.summary, `${g.order.toLocaleString("en-US")} nodes, ${g.size.toLocaleString("en-US")} links drawn`);
    if (this.sigma) this.sigma.refresh();
  }

  /** Selects a node (null: none): on a Chord ring, its fingers are drawn. */
  select(nodeId) {
    this.selected = nodeId && this.graph.hasNode(nodeId) ? nodeId : null;
    this.overlay();
    if (this.sigma) this.sigma.refresh();
  }

  /** Draws a Chord lookup's path (contacts "id@address:port", in hop order) over the ring of system `sys`. */
  showPath(sys, contacts) {
    if (!Array.isArray(contacts)) return false;
    const ids = contacts.map((c) => this.byEndPoint.get(sys + "|" + String(c).substring(String(c).indexOf("@") + 1))).filter((id) => id != null);
    if (ids.length === 0) return false;
    this.path = ids;
    this.overlay();
    if (this.sigma) this.sigma.refresh();
    return true;
  }

  /** The node ids of the highlighted fingers and path (for tests and the page's hook). */
  get highlighted() {
    return { selected: this.selected, fingers: this.selected ? this.fingers.get(this.selected) || [] : [], path: [...this.path] };
  }

  // The selected node's finger edges and the path's hops, coloured over the ring; edges the ring lacks are added
  // for the while and dropped when the highlight changes.
  overlay() {
    const g = this.graph;
    const added = [];
    g.forEachEdge((e, a) => { if (a.overlay) added.push(e); else if (a.hl) g.removeEdgeAttribute(e, "hl"); });
    for (const e of added) g.dropEdge(e);
    const mark = (s, t, color) => {
      if (s === t || !g.hasNode(s) || !g.hasNode(t)) return;
      if (g.hasEdge(s, t)) g.setEdgeAttribute(g.edge(s, t), "hl", color);
      else g.addEdge(s, t, { overlay: true, hl: color });
    };
    if (this.selected) for (const f of this.fingers.get(this.selected) || []) mark(this.selected, f, FINGER_COLOR);
    for (let i = 1; i < this.path.length; i++) mark(this.path[i - 1], this.path[i], PATH_COLOR);
  }

  // Lays one system out inside its own square, to the right of the previous one.
  layout(sys, nodes) {
    if (nodes.length === 0) return;
    const g = this.graph;
    const ox = sys.index * SYSTEM_WIDTH * 1.2;
    if (sys.layout === "ring") {
      nodes.forEach((n, i) => {
        const at = n.ring != null ? n.ring : i / nodes.length;
        const angle = Math.PI / 2 - 2 * Math.PI * at;   // clockwise from the top, as Chord's identifier circle is drawn
        g.mergeNodeAttributes(n.id, { x: ox + SYSTEM_WIDTH / 2 * (1 + Math.cos(angle)), y: SYSTEM_WIDTH / 2 * (1 + Math.sin(angle)) });
      });
      return;
    }
    // ForceAtlas2 on this system's nodes alone, from a circle; fewer rounds for larger systems keep the page responsive.
    const sub = new Graph({ type: "undirected" });
    nodes.forEach((n, i) => {
      const a = (2 * Math.PI * i) / nodes.length;
      sub.addNode(n.id, { x: Math.cos(a) * 100, y: Math.sin(a) * 100 });
    });
    g.forEachEdge((e, attrs, s, t) => { if (sub.hasNode(s) && sub.hasNode(t) && !sub.hasEdge(s, t)) sub.addEdge(s, t); });
    const iterations = nodes.length <= 300 ? 300 : nodes.length <= 2000 ? 80 : 30;
    const settings = { ...forceAtlas2.inferSettings(sub), barnesHutOptimize: nodes.length > 500 };
    forceAtlas2.assign(sub, { iterations, settings });
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    sub.forEachNode((id, a) => { minX = Math.min(minX, a.x); maxX = Math.max(maxX, a.x); minY = Math.min(minY, a.y); maxY = Math.max(maxY, a.y); });
    const scale = SYSTEM_WIDTH / Math.max(maxX - minX, maxY - minY, 1e-9);
    sub.forEachNode((id, a) => g.mergeNodeAttributes(id, { x: ox + (a.x - minX) * scale, y: (a.y - minY) * scale }));
  }

  drawLegend(state) {
    clear(this.legend);
    const roles = new Set(state.nodes.map((n) => n.role));
    for (const role of roles)
      this.legend.appendChild(el("span", { class: "key" }, el("i", { style: `background:${ROLE_COLORS[role] || "#555"}` }), role));
    this.legend.appendChild(el("span", { class: "key" }, el("i", { style: `background:${DOWN_COLOR}` }), "stopped"));
    this.legend.appendChild(el("span", { class: "key" }, el("i", { style: `background:${HOP_COLORS[0]}` }), "event (flood: by hop)"));
    if (state.systems.some((s) => s.layout === "ring")) {
      this.legend.appendChild(el("span", { class: "key" }, el("i", { style: `background:${FINGER_COLOR}` }), "fingers (click a node)"));
      this.legend.appendChild(el("span", { class: "key" }, el("i", { style: `background:${PATH_COLOR}` }), "last lookup's path"));
    }
  }
}
