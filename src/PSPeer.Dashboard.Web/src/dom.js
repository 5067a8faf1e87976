// The one way the page puts text in the document: textContent, never markup. Node names, file names, queries and
// user agents come from the network and may hold "<script>"; here they stay text.
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "style") node.style.cssText = v;
    else node.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c == null) continue;
    node.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function setText(id, text) {
  const node = typeof id === "string" ? document.getElementById(id) : id;
  if (node) node.textContent = text == null ? "" : String(text);
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function formatNumber(n) {
  if (n == null || !isFinite(n)) return "";
  if (Math.abs(n) >= 1e9) return (n / 1e9).toFixed(1) + " G";
  if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(1) + " M";
  if (Math.abs(n) >= 1e4) return (n / 1e3).toFixed(1) + " k";
  return Math.round(n).toLocaleString("en-US");
}
