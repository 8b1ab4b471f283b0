// The query editor: YASGUI on this server's endpoint, with the catalogue queries ready to
// load (parameters filled in with their examples), the project's prefixes declared as soon
// as a query uses them (the server predeclares them; the editor's checker does not), and
// labels beside the IRIs of a result.
document.addEventListener("DOMContentLoaded", () => {
  const catalogue = JSON.parse(document.getElementById("catalogue-data").textContent);
  const prefixes = JSON.parse(document.getElementById("prefixes").textContent);
  const select = document.getElementById("query-name");
  const params = document.getElementById("params");
  const description = document.getElementById("description");
  const endpoint = new URL("/sparql", window.location.href).href;

  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"]; // no lookups on other sites
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST", acceptHeaderSelect: "application/sparql-results+json" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    persistenceId: null,
    yasr: { prefixes: prefixes },
  });

  // The project's prefixes a query uses but does not declare, declared at its top.
  function declarePrefixes(yasqe) {
    const code = yasqe.getValue()
      .replace(/<[^<>"{}|^`\\\s]*>/g, " ") // IRIs
      .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, " ") // strings
      .replace(/#[^\n]*/g, " "); // comments
    const declared = yasqe.getPrefixesFromQuery();
    const missing = {};
    for (const match of code.matchAll(/(?<![\w.?$:-])([A-Za-z][\w-]*):/g)) {
      const name = match[1];
      if (Object.hasOwn(prefixes, name) && !Object.hasOwn(declared, name)) missing[name] = prefixes[name];
    }
    if (Object.keys(missing).length) yasqe.addPrefixes(missing);
  }

  function showParams() {
    const query = catalogue[select.value];
    description.textContent = query.description;
    params.replaceChildren();
    for (const p of query.params) {
      const label = document.createElement("label");
      label.textContent = p.name + " ";
      label.title = p.description + " (" + p.type + ")";
      const input = document.createElement("input");
      input.name = p.name;
      input.value = query.example[p.name] || "";
      label.appendChild(input);
      params.appendChild(label);
    }
  }

  async function load(event) {
    if (event) event.preventDefault();
    const search = new URLSearchParams();
    for (const input of params.querySelectorAll("input")) search.set(input.name, input.value);
    const answer = await fetch("/api/editor/" + encodeURIComponent(select.value) + "?" + search.toString());
    const text = await answer.text();
    if (!answer.ok) {
      description.textContent = text;
      return;
    }
    const tab = yasgui.getTab();
    tab.setQuery(text);
    tab.query();
  }

  // Labels beside IRIs: asked of the server once per answer, put beside each link drawn.
  let labels = {};
  let answered = null;
  async function fetchLabels(yasr) {
    if (yasr.results === answered) return decorate(yasr.resultsEl);
    answered = yasr.results;
    const iris = new Set();
    for (const binding of yasr.results?.getBindings() || []) {
      for (const value of Object.values(binding)) if (value.type === "uri") iris.add(value.value);
    }
    labels = {};
    if (iris.size === 0) return;
    const answer = await fetch("/api/labels", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify([...iris].slice(0, 2000)) });
    if (answer.ok) labels = await answer.json();
    decorate(yasr.resultsEl);
  }
  function decorate(root) {
    for (const link of root.querySelectorAll("a.iri:not([data-labelled])")) {
      const found = labels[link.getAttribute("href")];
      if (!found) continue;
      link.dataset.labelled = "true";
      if (found.href) link.setAttribute("href", found.href);
      link.removeAttribute("target");
      const span = document.createElement("span");
      span.className = "kg-label";
      span.textContent = found.label;
      link.after(span);
    }
  }
  const tab = yasgui.getTab();
  const yasqe = tab.getYasqe();
  yasqe.on("change", () => declarePrefixes(yasqe));
  const yasr = tab.getYasr();
  new MutationObserver(() => decorate(yasr.resultsEl)).observe(yasr.resultsEl, { childList: true, subtree: true });
  yasr.on("drawn", () => fetchLabels(yasr));

  select.addEventListener("change", showParams);
  document.getElementById("catalogue").addEventListener("submit", load);
  showParams();
  if (!tab.getQuery().trim() || tab.getQuery().includes("SELECT * WHERE")) load();
});
