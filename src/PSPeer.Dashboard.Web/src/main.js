// The PSPeer dashboard page. Everything it shows comes from this server, with the token from the page's own URL;
// it talks to nothing else (the server's Content-Security-Policy says so too) and sends nothing but GETs.
import "uplot/dist/uPlot.min.css";
import "./style.css";
import { TopologyView } from "./graph.js";
import { ReplayClock } from "./replay.js";
import { EventLog } from "./eventlog.js";
import { CounterCharts } from "./counters.js";
import { FloodView } from "./flood.js";
import { SwarmView } from "./swarm.js";
import { ProtocolTables } from "./protocols.js";
import { el, clear, setText } from "./dom.js";

const token = new URLSearchParams(location.search).get("t") || "";
const api = (path) => `${path}?t=${encodeURIComponent(token)}`;
const $ = (id) => document.getElementById(id);

const topology = new TopologyView($("graph"), $("legend"), $("graph-summary"));
const log = new EventLog($("events"), $("events-summary"), $("filter"), $("pause"));
const counters = new CounterCharts($("counters"), $("bytes"));
const flood = new FloodView($("flood"), $("flood-title"));
const swarm = new SwarmView($("swarm-panel"), $("swarm"));
const protocols = new ProtocolTables($("protocols-panel"), $("protocols"));
const simulatedSystems = new Set();
let state = null, version = null, lastStatus = null, fetching = false, released = 0, lit = 0;

const replay = new ReplayClock((events) => {
  released += events.length;
  flood.add(events);
  for (const e of events) {
    const hop = e.y === "QueryReceived" ? flood.hopOf(e) : undefined;
    if (topology.light(e.s + "/" + e.n, hop)) lit++;
    if (e.y === "ChordLookupCompleted" && e.d) topology.showPath(e.s, e.d.Path);
  }
  log.add(events);
});

$("speed").addEventListener("change", () => replay.setSpeed(Number($("speed").value)));

async function loadState() {
  if (fetching) return;
  fetching = true;
  try {
    const response = await fetch(api("/api/state"), { cache: "no-store" });
    if (!response.ok) throw new Error(`state: HTTP ${response.status}`);
    state = await response.json();
    version = state.version;
    simulatedSystems.clear();
    for (const s of state.systems) if (s.simulated) simulatedSystems.add(s.id);
    $("speed-box").hidden = simulatedSystems.size === 0;
    setText("scope", state.title);
    const notes = $("notes");
    clear(notes);
    for (const s of state.systems) if (s.note) notes.appendChild(el("p", { class: "note" }, `${s.title}: ${s.note}`));
    topology.update(state);
  } catch (e) {
    hook.errors.push(String(e));
  } finally {
    fetching = false;
  }
}

function connect() {
  const source = new EventSource(api("/api/events"));
  source.addEventListener("hello", () => { setText("connection", "live"); $("connection").className = "pill ok"; hook.connected = true; });
  source.addEventListener("events", (m) => {
    const events = JSON.parse(m.data);
    hook.eventsReceived += events.length;
    const simulated = [], live = [];
    for (const e of events) (simulatedSystems.has(e.s) ? simulated : live).push(e);
    if (live.length) replay.push(live, false);
    if (simulated.length) replay.push(simulated, true);
  });
  source.addEventListener("status", (m) => {
    const status = JSON.parse(m.data);
    lastStatus = status;
    counters.add(status);
    swarm.update(status.swarm);
    protocols.update(status);
    const clock = replay.virtualNow != null && simulatedSystems.size ? ` · replaying at ${new Date(replay.virtualNow).toISOString().substring(11, 23)}` : "";
    setText("clock", (status.virtual ? `virtual time ${status.t.toFixed(3)} s` : `${Math.round(status.t)} s`) + clock);
    setText("totals", `${status.eventsSent.toLocaleString("en-US")} events sent, ${status.eventsDropped.toLocaleString("en-US")} dropped` +
      (replay.skipped ? `, ${replay.skipped.toLocaleString("en-US")} skipped in replay` : ""));
    if (status.version !== version) loadState();
  });
  source.onerror = () => { setText("connection", "disconnected (retrying)"); $("connection").className = "pill bad"; hook.connected = false; };
}

// What a test (or a curious user in the console) can read: a canvas has no DOM to inspect.
const hook = {
  connected: false,
  eventsReceived: 0,
  errors: [],
  get ready() { return state != null && (topology.renderedNodes > 0 || topology.graph.order === 0 || topology.error != null); },
  get nodesDrawn() { return topology.sigma ? topology.renderedNodes : 0; },
  get nodes() { return topology.graph.order; },
  get links() { return topology.graph.size; },
  get graphError() { return topology.error; },
  get ring() { return topology.highlighted; },
  select(nodeId) { topology.select(nodeId); },
  /** A ring's nodes and where each is on the screen (page coordinates), to click one as a person would. */
  get ringNodes() {
    const box = $("graph").getBoundingClientRect();
    return [...topology.fingers.keys()].filter((id) => topology.graph.hasNode(id)).map((id) => {
      const a = topology.graph.getNodeAttributes(id);
      const v = topology.sigma ? topology.sigma.graphToViewport({ x: a.x, y: a.y }) : { x: NaN, y: NaN };
      return { id, x: box.left + v.x, y: box.top + v.y };
    });
  },
  get eventsReleased() { return released; },
  get nodesLit() { return lit; },
  get recentEvents() { return log.recent.slice(); },
  get flood() { return flood.snapshot(); },
  get swarm() { return swarm.peers; },
  /** The Chord and Napster totals on the page now, by "Protocol.counter". */
  get protocols() { return { ...protocols.shown }; },
  get status() { return lastStatus; },
  get notes() { return state ? state.systems.map((s) => s.note).filter(Boolean) : []; },
  get counterSamples() { return counters.samples; },
  get pendingReplay() { return replay.pending; },
  /** Milliseconds one full draw of the graph takes (for measuring; the page itself draws on animation frames). */
  timeRender() {
    if (!topology.sigma) return null;
    const start = performance.now();
    topology.sigma.refresh();
    return performance.now() - start;
  },
};
window.__pspeer = hook;

loadState().then(connect);
