// Counters over time, as rates: messages, queries and hits per second (summed over every node of the scope, from
// the nodes' own counters) and payload bytes per second, drawn by uPlot. The time axis is virtual for a simulation.
import uPlot from "uplot";

const WINDOW = 300;   // points kept (five minutes of one-second samples)

function chart(container, title, series, height) {
  const opts = {
    title, width: Math.max(300, container.clientWidth || 420), height,
    scales: { x: { time: false } },
    axes: [{ label: "seconds" }, { size: 60 }],
    series: [{ label: "t" }, ...series.map(([label, stroke]) => ({ label, stroke, width: 1.5, points: { show: false } }))],
    legend: { live: false },
  };
  const data = [[], ...series.map(() => [])];
  const plot = new uPlot(opts, data, container);
  window.addEventListener("resize", () => plot.setSize({ width: Math.max(300, container.clientWidth), height }));
  return { plot, data };
}

export class CounterCharts {
  constructor(countersDiv, bytesDiv) {
    this.rates = chart(countersDiv, "", [["messages/s", "#1f5fbf"], ["queries/s", "#e08a1e"], ["hits/s", "#2e9e5b"], ["events/s", "#888"]], 170);
    this.bytes = chart(bytesDiv, "", [["bytes/s", "#7b3fb5"]], 120);
    this.last = null;
    this.samples = 0;
  }

  add(status) {
    const c = status.counters;
    const prev = this.last;
    this.last = { t: status.t, c };
    if (!prev || status.t <= prev.t) return;   // no time passed (an idle simulation): nothing to plot
    const dt = status.t - prev.t;
    const rate = (k) => Math.max(0, (c[k] - prev.c[k]) / dt);
    push(this.rates, status.t, [rate("messages"), rate("queries"), rate("hits"), rate("events")]);
    push(this.bytes, status.t, [rate("bytes")]);
    this.samples++;
  }
}

function push(ch, t, values) {
  ch.data[0].push(t);
  values.forEach((v, i) => ch.data[i + 1].push(v));
  if (ch.data[0].length > WINDOW) for (const s of ch.data) s.shift();
  ch.plot.setData(ch.data);
}
