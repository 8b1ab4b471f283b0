// Draws the graph whose Cytoscape elements the page holds in <script id="elements">.
// A click on a node opens its page.
document.addEventListener("DOMContentLoaded", () => {
  const holder = document.getElementById("graph");
  const data = document.getElementById("elements");
  if (!holder || !data || typeof cytoscape === "undefined") return;
  const elements = JSON.parse(data.textContent);
  const graph = cytoscape({
    container: holder,
    elements: elements,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 11, "text-wrap": "wrap", "text-max-width": 120,
        "background-color": "#7a8ca3", width: 18, height: 18, color: "#1d2733", "text-valign": "bottom", "text-margin-y": 4 } },
      { selector: "node[?focus]", style: { "background-color": "#c0392b", width: 28, height: 28, "font-weight": "bold" } },
      { selector: "node[?post]", style: { shape: "round-rectangle", "background-color": "#d9a441" } },
      { selector: "edge", style: { label: "data(label)", "font-size": 8, color: "#55606e", width: 1.5, "line-color": "#b8c2cc",
        "target-arrow-shape": "triangle", "target-arrow-color": "#b8c2cc", "curve-style": "bezier", "text-rotation": "autorotate" } },
    ],
    layout: { name: "cose", animate: false, nodeRepulsion: 400000, idealEdgeLength: 140, nodeOverlap: 40,
      componentSpacing: 120, randomize: false, padding: 20 },
  });
  graph.on("tap", "node", (event) => {
    const target = event.target.data("href");
    if (target) window.location.assign(target);
  });
  holder.dataset.nodes = String(graph.nodes().length);
  holder.dataset.edges = String(graph.edges().length);
});
