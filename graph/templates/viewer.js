/* BCTO graph viewer. Reads the JSON block, draws it with vis-network (physics off: positions come
   from the build), and wires search, filters, focus, views and the details panel. Every piece of
   data reaches the page through textContent or attribute setters, never as HTML. */
(function () {
  "use strict";
  var T0 = performance.now();
  var DATA = JSON.parse(document.getElementById("bcto-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var BIG = DATA.nodes.length > 2000;

  var families = {}, predicates = {}, terms = {};
  DATA.families.forEach(function (f) { families[f.id] = f; });
  DATA.predicates.forEach(function (p) { predicates[p.id] = p; });
  DATA.nodes.forEach(function (n) { terms[n.id] = n; });
  var outgoing = {}, incoming = {};
  DATA.nodes.forEach(function (n) { outgoing[n.id] = []; incoming[n.id] = []; });
  DATA.edges.forEach(function (e) { outgoing[e.from].push(e); incoming[e.to].push(e); });

  var state = {
    familyOn: new Set(DATA.families.map(function (f) { return f.id; })),
    predicateOn: new Set(DATA.predicates.map(function (p) { return p.id; })),
    focus: null,          // Set of ids, or null for everything
    pathwayMode: false,
    selected: null
  };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function shapeIcon(shape, color, size) {
    var s = size || 14, h = s / 2, svg = document.createElementNS(SVG, "svg"), item;
    svg.setAttribute("width", s); svg.setAttribute("height", s); svg.setAttribute("aria-hidden", "true");
    var points = {
      triangle: [[h, 1], [s - 1, s - 1], [1, s - 1]],
      triangleDown: [[1, 1], [s - 1, 1], [h, s - 1]],
      diamond: [[h, 0], [s, h], [h, s], [0, h]],
      hexagon: [[h, 0], [s, s * 0.27], [s, s * 0.73], [h, s], [0, s * 0.73], [0, s * 0.27]],
      star: [[h, 0], [s * 0.62, s * 0.38], [s, s * 0.38], [s * 0.69, s * 0.62], [s * 0.81, s], [h, s * 0.76],
             [s * 0.19, s], [s * 0.31, s * 0.62], [0, s * 0.38], [s * 0.38, s * 0.38]]
    }[shape];
    if (points) {
      item = document.createElementNS(SVG, "polygon");
      item.setAttribute("points", points.map(function (p) { return p.join(","); }).join(" "));
    } else if (shape === "square") {
      item = document.createElementNS(SVG, "rect");
      item.setAttribute("x", 1); item.setAttribute("y", 1); item.setAttribute("width", s - 2); item.setAttribute("height", s - 2);
    } else {
      item = document.createElementNS(SVG, "circle");
      item.setAttribute("cx", h); item.setAttribute("cy", h); item.setAttribute("r", h - 1);
    }
    item.setAttribute("fill", color);
    svg.appendChild(item);
    return svg;
  }

  function lineIcon(p) {
    var svg = document.createElementNS(SVG, "svg"), line = document.createElementNS(SVG, "line");
    svg.setAttribute("width", 26); svg.setAttribute("height", 10); svg.setAttribute("aria-hidden", "true");
    line.setAttribute("x1", 1); line.setAttribute("y1", 5); line.setAttribute("x2", 25); line.setAttribute("y2", 5);
    line.setAttribute("stroke", p.color); line.setAttribute("stroke-width", 2.5);
    if (p.dashes) line.setAttribute("stroke-dasharray", p.dashes.join(" "));
    svg.appendChild(line);
    return svg;
  }

  function sourceText(pair) { return pair[0] + " — " + pair[1]; }

  function nodeTitle(n) {
    var box = el("div");
    box.appendChild(el("strong", n.label));
    box.appendChild(el("div", families[n.family].label));
    if (n.definition) box.appendChild(el("div", n.definition));
    return box;
  }

  function edgeTitle(e) {
    var box = el("div");
    box.appendChild(el("div", terms[e.from].label + " — " + predicates[e.key].label + " → " + terms[e.to].label));
    if (e.frequency) box.appendChild(el("div", "Frequency: " + e.frequency));
    if (e.context) box.appendChild(el("div", e.context));
    e.sources.forEach(function (s) { box.appendChild(el("div", "Source: " + sourceText(s))); });
    return box;
  }

  function visNode(n) {
    var f = families[n.family];
    return {
      id: n.id, label: n.label, x: n.x, y: n.y, shape: f.shape, size: n.size,
      color: { background: f.color, border: f.color, highlight: { background: f.color, border: "#000" },
               hover: { background: f.color, border: "#000" } },
      font: { size: 13, color: "#1d1d1d", strokeWidth: 3, strokeColor: "#ffffff" },
      borderWidth: 1, borderWidthSelected: 4,
      title: BIG ? undefined : nodeTitle(n)
    };
  }

  function visEdge(e) {
    var p = predicates[e.key];
    return {
      id: e.id, from: e.from, to: e.to, color: { color: p.color, highlight: "#000", hover: "#000", opacity: 0.85 },
      dashes: p.dashes, width: p.width, arrows: { to: { enabled: true, scaleFactor: 0.5 } },
      title: BIG ? undefined : edgeTitle(e)
    };
  }

  var nodes = new vis.DataSet(DATA.nodes.map(visNode));
  var edges = new vis.DataSet(DATA.edges.map(visEdge));
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 1 },
    edges: { smooth: false, font: { size: 10, align: "middle", strokeWidth: 3, strokeColor: "#ffffff" }, selectionWidth: 2 },
    nodes: { scaling: { label: { drawThreshold: 7 } } },
    interaction: { hover: !BIG, tooltipDelay: 250, hideEdgesOnDrag: BIG, hideEdgesOnZoom: BIG, keyboard: false, multiselect: false }
  });
  // vis-network 9.1.2 internals used for fast filtering; if a later version lacks them, DataSet updates are used.
  var DIRECT = !!(network.body && network.body.nodes && network.body.edges && typeof network._updateVisibleIndices === "function");
  var timings = { scriptStart: T0, networkCreated: performance.now(), firstDraw: null };
  network.once("afterDrawing", function () { timings.firstDraw = performance.now(); });

  /* ---------------------------------------------------------------- visibility */

  function visibleNodeSet() {
    var out = new Set();
    DATA.nodes.forEach(function (n) {
      if (state.familyOn.has(n.family) && (!state.focus || state.focus.has(n.id))) out.add(n.id);
    });
    return out;
  }

  var shown = { nodes: new Set(DATA.nodes.map(function (n) { return n.id; })), edges: new Set(DATA.edges.map(function (e) { return e.id; })) };
  var labelled = new Set();

  function applyVisibility() {
    var vn = visibleNodeSet(), ve = new Set(), nodeUpdates = [], edgeUpdates = [];
    DATA.edges.forEach(function (e) {
      if (state.predicateOn.has(e.key) && vn.has(e.from) && vn.has(e.to)) ve.add(e.id);
    });
    DATA.nodes.forEach(function (n) {
      if (vn.has(n.id) !== shown.nodes.has(n.id)) nodeUpdates.push({ id: n.id, hidden: !vn.has(n.id) });
    });
    var wantLabels = ve.size <= 150 ? ve : new Set();
    DATA.edges.forEach(function (e) {
      var upd = null;
      if (ve.has(e.id) !== shown.edges.has(e.id)) upd = { id: e.id, hidden: !ve.has(e.id) };
      if (wantLabels.has(e.id) !== labelled.has(e.id)) {
        upd = upd || { id: e.id };
        upd.label = wantLabels.has(e.id) ? predicates[e.key].edgeLabel : "";
      }
      if (upd) edgeUpdates.push(upd);
    });
    if (DIRECT) {
      // Toggle the drawn objects and rebuild only the visible-index lists: a DataSet update makes
      // vis-network recompute every node and edge (seconds at 20x the real graph); this is linear and small.
      nodeUpdates.forEach(function (u) { network.body.nodes[u.id].options.hidden = u.hidden; });
      edgeUpdates.forEach(function (u) {
        var edge = network.body.edges[u.id];
        if ("hidden" in u) edge.options.hidden = u.hidden;
        if ("label" in u) edge.setOptions({ label: u.label });
      });
      if (nodeUpdates.length || edgeUpdates.length) { network._updateVisibleIndices(); network.redraw(); }
    } else {
      if (nodeUpdates.length) nodes.update(nodeUpdates);
      if (edgeUpdates.length) edges.update(edgeUpdates);
    }
    shown = { nodes: vn, edges: ve };
    labelled = new Set(wantLabels);
    updateStatus();
  }

  function updateStatus() {
    var text = "Showing " + shown.nodes.size + " of " + DATA.nodes.length + " terms and " + shown.edges.size +
      " of " + DATA.edges.length + " links";
    if (state.pathwayMode) text += " · treatment pathways, in order left to right";
    else if (state.focus) text += " · focused view";
    document.getElementById("status").textContent = text;
  }

  function neighbourhood(id, hops) {
    var seen = new Set([id]), frontier = [id];
    for (var i = 0; i < hops; i++) {
      var next = [];
      frontier.forEach(function (nid) {
        outgoing[nid].concat(incoming[nid]).forEach(function (e) {
          if (!state.predicateOn.has(e.key)) return;
          var other = e.from === nid ? e.to : e.from;
          if (!seen.has(other)) { seen.add(other); next.push(other); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  /* ---------------------------------------------------------------- views */

  function leavePathways() {
    if (!state.pathwayMode) return;
    state.pathwayMode = false;
    Object.keys(DATA.pathwayPositions).forEach(function (id) { network.moveNode(id, terms[id].x, terms[id].y); });
    setPressed(null);
  }

  function fitTo(ids) {
    network.fit({ nodes: ids, animation: false, maxZoomLevel: 1.5 });
  }

  function focusOn(id, hops) {
    leavePathways();
    setPressed(null);
    state.focus = neighbourhood(id, hops);
    state.familyOn.add(terms[id].family);
    syncFilterBoxes();
    applyVisibility();
    fitTo(Array.from(shown.nodes));
    select(id, false);
  }

  function showAll() {
    leavePathways();
    state.focus = null;
    applyVisibility();
    network.fit({ animation: false });
    setPressed("show-all");
  }

  function showPathways(which) {
    var chosen = DATA.pathways.filter(function (p) { return !which || p.id === which; });
    if (!chosen.length) return;
    state.pathwayMode = true;
    Object.keys(DATA.pathwayPositions).forEach(function (id) {
      network.moveNode(id, DATA.pathwayPositions[id][0], DATA.pathwayPositions[id][1]);
    });
    state.focus = new Set();
    chosen.forEach(function (p) { p.members.forEach(function (m) { state.focus.add(m); }); });
    ["TreatmentPathway", "PathwayStep"].forEach(function (f) { if (families[f]) state.familyOn.add(f); });
    syncFilterBoxes();
    applyVisibility();
    fitTo(Array.from(shown.nodes));
    setPressed("show-pathways");
  }

  function setPressed(buttonId) {
    document.querySelectorAll("#views button").forEach(function (b) {
      b.setAttribute("aria-pressed", b.id === buttonId ? "true" : "false");
    });
  }

  /* ---------------------------------------------------------------- selection and details */

  function reveal(id) {
    var n = terms[id];
    if (!state.familyOn.has(n.family)) { state.familyOn.add(n.family); syncFilterBoxes(); }
    if (state.focus && !state.focus.has(id)) { leavePathways(); state.focus = null; }
    applyVisibility();
  }

  function select(id, centre) {
    if (!terms[id]) return;
    reveal(id);
    state.selected = id;
    network.selectNodes([id], true);
    if (centre !== false) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showDetails(id);
  }

  function termLink(id) {
    var a = el("a", terms[id] ? terms[id].label : id, "term");
    a.href = "#" + encodeURIComponent(id);
    a.setAttribute("data-term", id);
    a.addEventListener("click", function (ev) { ev.preventDefault(); select(id); });
    return a;
  }

  function section(parent, title) { parent.appendChild(el("h3", title)); }

  function listOf(parent, items, render) {
    var ul = el("ul");
    items.forEach(function (item) { var li = el("li"); render(li, item); ul.appendChild(li); });
    parent.appendChild(ul);
  }

  function relationItem(li, e, otherId) {
    li.appendChild(termLink(otherId));
    var q = [];
    if (e.inferred) q.push("inferred by the reasoner");
    if (e.frequency) q.push("frequency: " + e.frequency);
    if (q.length) li.appendChild(el("span", " (" + q.join("; ") + ")", "qualifier"));
    if (e.context) li.appendChild(el("div", e.context, "qualifier"));
    if (e.conflict) {
      var c = el("div", "Sources disagree: ", "qualifier");
      c.appendChild(termLink(e.conflict));
      li.appendChild(c);
    }
    e.sources.forEach(function (s) { li.appendChild(el("div", "Source: " + sourceText(s), "source")); });
  }

  function groups(list, keyOf) {
    var out = {};
    list.forEach(function (e) { (out[keyOf(e)] = out[keyOf(e)] || []).push(e); });
    return Object.keys(out).sort(function (a, b) { return predicates[a].label.localeCompare(predicates[b].label); })
      .map(function (k) { return [k, out[k]]; });
  }

  function showDetails(id) {
    var n = terms[id], f = families[n.family], box = document.getElementById("details");
    box.textContent = "";
    box.setAttribute("data-term", id);
    box.appendChild(el("h2", n.label));
    var fam = el("div", null, "family");
    fam.appendChild(shapeIcon(f.shape, f.color, 12));
    fam.appendChild(el("span", f.label));
    box.appendChild(fam);
    box.appendChild(el("div", "https://w3id.org/bcto/" + n.id, "iri"));
    var actions = el("div", null, "actions");
    [["Focus: neighbours", 1], ["Focus: 2 steps", 2]].forEach(function (pair) {
      var b = el("button", pair[0]);
      b.type = "button";
      b.setAttribute("data-hops", pair[1]);
      b.addEventListener("click", function () { focusOn(id, pair[1]); });
      actions.appendChild(b);
    });
    var all = el("button", "Show all");
    all.type = "button";
    all.addEventListener("click", function () { showAll(); select(id); });
    actions.appendChild(all);
    box.appendChild(actions);

    section(box, "What it is");
    box.appendChild(el("p", n.definition || "No definition recorded."));
    if (n.synonyms.length) { section(box, "Also called"); listOf(box, n.synonyms, function (li, s) { li.textContent = s; }); }
    if (n.lay.length) { section(box, "Everyday words"); listOf(box, n.lay, function (li, s) { li.textContent = s; }); }
    if (n.mappings.length) {
      section(box, "Same or similar terms elsewhere");
      listOf(box, n.mappings, function (li, m) {
        li.appendChild(el("span", m.relation + ": "));
        if (/^https?:\/\//.test(m.href)) {
          var a = el("a", m.target);
          a.href = m.href; a.target = "_blank"; a.rel = "noopener noreferrer";
          li.appendChild(a);
        } else li.appendChild(el("span", m.target));
      });
    }
    section(box, "Where it comes from");
    if (n.sources.length) listOf(box, n.sources, function (li, s) { li.className = "source"; li.textContent = sourceText(s); });
    else box.appendChild(el("p", "No source recorded.", "qualifier"));

    section(box, "What it connects to");
    var out = outgoing[id], inc = incoming[id];
    if (!out.length && !inc.length) box.appendChild(el("p", "No links.", "qualifier"));
    groups(out, function (e) { return e.key; }).forEach(function (g) {
      box.appendChild(el("h4", "This term " + predicates[g[0]].label + " →"));
      listOf(box, g[1], function (li, e) { relationItem(li, e, e.to); });
    });
    groups(inc, function (e) { return e.key; }).forEach(function (g) {
      box.appendChild(el("h4", "← " + predicates[g[0]].label + " this term"));
      listOf(box, g[1], function (li, e) { relationItem(li, e, e.from); });
    });
  }

  network.on("click", function (params) {
    if (params.nodes.length) select(params.nodes[0], false);
  });

  /* ---------------------------------------------------------------- filters (legend) */

  function filterBox(parent, item, set, icon, kind) {
    var label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = item.id;
    box.setAttribute("data-" + kind, item.id);
    box.addEventListener("change", function () {
      if (box.checked) set.add(item.id); else set.delete(item.id);
      applyVisibility();
    });
    label.appendChild(box); label.appendChild(icon); label.appendChild(el("span", item.label));
    if (item.definition) label.title = item.definition;
    label.appendChild(el("span", item.count, "count"));
    parent.appendChild(label);
  }

  function syncFilterBoxes() {
    document.querySelectorAll("input[data-family]").forEach(function (b) { b.checked = state.familyOn.has(b.value); });
    document.querySelectorAll("input[data-predicate]").forEach(function (b) { b.checked = state.predicateOn.has(b.value); });
  }

  var famBox = document.getElementById("family-filters");
  DATA.families.forEach(function (f) { filterBox(famBox, f, state.familyOn, shapeIcon(f.shape, f.color), "family"); });
  var predBox = document.getElementById("predicate-filters");
  DATA.predicates.forEach(function (p) { filterBox(predBox, p, state.predicateOn, lineIcon(p), "predicate"); });

  /* ---------------------------------------------------------------- search */

  function norm(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  }
  var index = [];
  DATA.nodes.forEach(function (n) {
    index.push({ key: norm(n.label), id: n.id, name: n.label, kind: "" });
    n.synonyms.forEach(function (s) { index.push({ key: norm(s), id: n.id, name: s, kind: "also called" }); });
    n.lay.forEach(function (s) { index.push({ key: norm(s), id: n.id, name: s, kind: "everyday word" }); });
  });

  function search(text) {
    var q = norm(text);
    if (!q) return [];
    var best = {};
    index.forEach(function (entry) {
      var at = entry.key.indexOf(q);
      if (at < 0) return;
      var rank = entry.key === q ? 0 : at === 0 ? 1 : entry.key.charAt(at - 1) === " " ? 2 : 3;
      rank = rank * 2 + (entry.kind ? 1 : 0);
      var old = best[entry.id];
      if (!old || rank < old.rank) best[entry.id] = { id: entry.id, rank: rank, entry: entry };
    });
    return Object.keys(best).map(function (k) { return best[k]; }).sort(function (a, b) {
      return a.rank - b.rank || terms[a.id].label.length - terms[b.id].label.length ||
        terms[a.id].label.localeCompare(terms[b.id].label);
    }).slice(0, 12);
  }

  var input = document.getElementById("search"), list = document.getElementById("suggestions");
  var results = [], active = 0;

  function renderSuggestions() {
    list.textContent = "";
    results.forEach(function (r, i) {
      var li = el("li"), f = families[terms[r.id].family];
      li.id = "suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("data-term", r.id);
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      li.appendChild(shapeIcon(f.shape, f.color, 11));
      li.appendChild(el("span", terms[r.id].label));
      if (r.entry.kind) li.appendChild(el("span", r.entry.kind + ": " + r.entry.name, "matched"));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    if (input.value && !results.length) list.appendChild(el("li", "No term matches."));
    list.hidden = !input.value;
    input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
  }

  function choose(i) {
    if (!results[i]) return;
    select(results[i].id);
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  input.addEventListener("input", function () {
    results = search(input.value);
    active = 0;
    renderSuggestions();
    // As you type: the best match is selected, centred and highlighted if it is on screen now.
    if (results.length && shown.nodes.has(results[0].id)) select(results[0].id);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (!results.length) return;
      active = (active + (ev.key === "ArrowDown" ? 1 : results.length - 1)) % results.length;
      renderSuggestions();
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      choose(active);
    } else if (ev.key === "Escape") {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }
  });
  input.addEventListener("blur", function () { list.hidden = true; input.setAttribute("aria-expanded", "false"); });

  /* ---------------------------------------------------------------- view buttons */

  document.getElementById("show-all").addEventListener("click", showAll);
  var presets = document.getElementById("presets");
  DATA.presets.forEach(function (p) {
    var b = el("button", p.label);
    b.type = "button"; b.id = "preset-" + p.id; b.setAttribute("data-term", p.id);
    b.title = "Show " + p.label + " and the terms linked to it";
    b.addEventListener("click", function () { focusOn(p.id, 1); setPressed(b.id); });
    presets.appendChild(b);
  });
  var pathwaySelect = document.getElementById("pathway-select"), pathwayButton = document.getElementById("show-pathways");
  pathwaySelect.appendChild(el("option", "all pathways"));
  pathwaySelect.options[0].value = "";
  DATA.pathways.forEach(function (p) { var o = el("option", p.label); o.value = p.id; pathwaySelect.appendChild(o); });
  pathwaySelect.addEventListener("change", function () { showPathways(pathwaySelect.value); });
  pathwayButton.addEventListener("click", function () { showPathways(pathwaySelect.value); });
  if (!DATA.pathways.length) { pathwayButton.hidden = true; pathwaySelect.hidden = true; }

  applyVisibility();
  setPressed("show-all");
  if (location.hash.length > 1) {
    var wanted = decodeURIComponent(location.hash.slice(1));
    if (terms[wanted]) select(wanted);
  }

  // A small read-only handle for tests and benchmarks.
  window.BCTO = {
    timings: timings,
    nodeCount: function () { return nodes.length; },
    visibleNodeIds: function () { return Array.from(shown.nodes).sort(); },
    visibleEdgeIds: function () { return Array.from(shown.edges).sort(); },
    selected: function () { return state.selected; },
    domPosition: function (id) { return network.canvasToDOM(network.getPosition(id)); },
    select: select,
    focus: focusOn,
    showAll: showAll,
    network: network,
    direct: DIRECT
  };
})();
