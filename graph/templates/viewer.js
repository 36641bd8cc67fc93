/* BCTO graph viewer. Reads the JSON block, draws it with vis-network (physics off: positions come
   from the build), places its own labels so that none overlaps another label or a node, draws the
   treatment pathways as flowcharts, and keeps the view in the URL. Every piece of data reaches the
   page through textContent or attribute setters, never as HTML. */
(function () {
  "use strict";
  var T0 = performance.now();
  var DATA = JSON.parse(document.getElementById("bcto-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var BIG = DATA.nodes.length > 2000;
  var FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var FONT_BOLD = "bold " + FONT;
  var FLOW_FONT = "13px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var SUBCLASS = "subClassOf", INFERRED = "inferred";

  // The page leaves empty fields out and numbers the citations; fill them in once, here.
  var CITATIONS = DATA.citations || [];
  DATA.nodes.forEach(function (n) {
    n.definition = n.definition || "";
    n.synonyms = n.synonyms || []; n.lay = n.lay || []; n.mappings = n.mappings || [];
    n.sources = (n.sources || []).map(function (i) { return CITATIONS[i]; });
  });
  DATA.edges.forEach(function (e, i) {
    e.id = "e" + i;
    e.inferred = !!e.inferred;
    e.key = e.inferred ? INFERRED : e.predicate;
    e.frequency = e.frequency || ""; e.context = e.context || ""; e.conflict = e.conflict || "";
    e.sources = (e.sources || []).map(function (k) { return CITATIONS[k]; });
  });
  var T_PARSED = performance.now();
  var families = {}, predicates = {}, terms = {}, groupsById = {};
  DATA.families.forEach(function (f) { families[f.id] = f; });
  DATA.predicates.forEach(function (p) { predicates[p.id] = p; });
  DATA.groups.forEach(function (g) { groupsById[g.id] = g; });
  DATA.nodes.forEach(function (n) { terms[n.id] = n; });
  var outgoing = {}, incoming = {}, conflictSides = {}, edgeById = {};
  DATA.nodes.forEach(function (n) { outgoing[n.id] = []; incoming[n.id] = []; });
  DATA.edges.forEach(function (e) {
    outgoing[e.from].push(e); incoming[e.to].push(e); edgeById[e.id] = e;
    if (e.conflict) (conflictSides[e.conflict] = conflictSides[e.conflict] || []).push(e);
  });
  var pathwayById = {};
  DATA.pathways.forEach(function (p) { pathwayById[p.id] = p; });
  // Labels are placed in this order after the forced ones: the most connected terms first.
  var byImportance = DATA.nodes.map(function (n) { return n.id; }).sort(function (a, b) {
    return (outgoing[b].length + incoming[b].length) - (outgoing[a].length + incoming[a].length) || (a < b ? -1 : 1);
  });
  var OVERVIEW = DATA.overview;
  var DIRECTION_ORDER = ["for", "against", "considered"];
  // In the opening view, is-a links among the conditions show that what is stated for bone cancer holds for
  // each kind of it; they are drawn as arcs beside the column so they do not run through its terms.
  var KINDS = new Set(OVERVIEW && OVERVIEW.columns.length ? OVERVIEW.columns[0].ids : []);
  function kindLink(e) { return (e.key === SUBCLASS || e.key === INFERRED) && KINDS.has(e.from) && KINDS.has(e.to); }
  var ARC = { enabled: true, type: "curvedCW", roundness: 0.45 }, STRAIGHT = { enabled: false };
  var arcsOn = !location.hash.slice(1) && !!OVERVIEW; // the opening view starts with them
  var OVERVIEW_KEYS = OVERVIEW && OVERVIEW.predicates.length ? new Set(OVERVIEW.predicates) : null; // null: every kind

  var state = {
    familyOn: new Set(DATA.families.map(function (f) { return f.id; })),
    predicateOn: new Set(DATA.predicates.map(function (p) { return p.id; })),
    view: OVERVIEW ? "overview" : "all", // overview | all | focus | pathways
    focusId: null, hops: 1, pathway: "",
    focus: null,          // Set of ids shown, or null for everything
    selected: null, hovered: null, searched: []
  };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function shapePoints(shape, s) {
    var h = s / 2;
    return {
      triangle: [[h, 1], [s - 1, s - 1], [1, s - 1]],
      triangleDown: [[1, 1], [s - 1, 1], [h, s - 1]],
      diamond: [[h, 0], [s, h], [h, s], [0, h]],
      hexagon: [[h, 0], [s, s * 0.27], [s, s * 0.73], [h, s], [0, s * 0.73], [0, s * 0.27]],
      star: [[h, 0], [s * 0.62, s * 0.38], [s, s * 0.38], [s * 0.69, s * 0.62], [s * 0.81, s], [h, s * 0.76],
             [s * 0.19, s], [s * 0.31, s * 0.62], [0, s * 0.38], [s * 0.38, s * 0.38]]
    }[shape];
  }

  function shapeElement(shape, color, x, y, s) {
    var points = shapePoints(shape, s), item;
    if (points) item = svgEl("polygon", { points: points.map(function (p) { return (x + p[0]).toFixed(1) + "," + (y + p[1]).toFixed(1); }).join(" ") });
    else if (shape === "square") item = svgEl("rect", { x: x + 1, y: y + 1, width: s - 2, height: s - 2 });
    else item = svgEl("circle", { cx: x + s / 2, cy: y + s / 2, r: s / 2 - 1 });
    item.setAttribute("fill", color);
    return item;
  }

  function shapeIcon(shape, color, size) {
    var s = size || 14, svg = svgEl("svg", { width: s, height: s, "aria-hidden": "true" });
    svg.appendChild(shapeElement(shape, color, 0, 0, s));
    return svg;
  }

  function lineIcon(p) {
    var svg = svgEl("svg", { width: 30, height: 10, "aria-hidden": "true" });
    var line = svgEl("line", { x1: 1, y1: 5, x2: 29, y2: 5, stroke: p.color, "stroke-width": Math.max(2.5, p.width) });
    if (p.dashes) line.setAttribute("stroke-dasharray", p.dashes.join(" "));
    svg.appendChild(line);
    return svg;
  }

  function sourceText(pair) { return pair[0] + " — " + pair[1]; }
  function label(id) { return terms[id] ? terms[id].label : id; }

  /* ---------------------------------------------------------------- decisions */

  // A link's direction and strength: its own when the content states them, else the predicate's.
  function decision(e) {
    var p = predicates[e.key];
    var dir = e.direction || (p && p.direction);
    if (!dir || !DATA.directions[dir]) return null;
    return { direction: dir, looks: DATA.directions[dir], strength: e.strength || p.strength || "" };
  }

  function edgeStyle(e) {
    var d = decision(e), p = predicates[e.key];
    return d ? { color: d.looks.color, dashes: d.looks.dashes, width: d.looks.width } : p;
  }

  function decisionBadge(d) {
    var span = el("span", d.looks.icon + " " + d.looks.label, "badge");
    span.style.background = d.looks.color;
    span.setAttribute("data-direction", d.direction);
    return span;
  }

  /* ---------------------------------------------------------------- the network */

  function initialPosition(n) {
    if (state.view === "overview" && OVERVIEW.positions[n.id]) return OVERVIEW.positions[n.id];
    return [n.x, n.y];
  }

  // Each family is a vis-network group, so a node carries only its id, position, size and group: per-node
  // option objects are what makes building a large network slow.
  var visGroups = {};
  DATA.families.forEach(function (f) {
    visGroups[f.id] = { shape: f.shape, color: { background: f.color, border: f.color, highlight: { background: f.color, border: "#000" },
                                                 hover: { background: f.color, border: "#000" } } };
  });

  function visNode(n) {
    var xy = initialPosition(n);
    var g = visGroups[n.family];
    return { id: n.id, x: xy[0], y: xy[1], size: n.size, shape: g.shape, color: g.color };
  }

  function visEdge(e) {
    var s = edgeStyle(e), v = { id: e.id, from: e.from, to: e.to, color: s.color, width: s.width };
    if (s.dashes) v.dashes = s.dashes;
    if (kindLink(e) && state.view === "overview") v.smooth = ARC;
    return v;
  }

  var container = document.getElementById("graph");
  // The opening view is drawn first with only its own terms; the rest join, hidden, right after the first draw.
  var pending = location.hash.length > 1;
  var opening = (function () {
    if (pending || state.view !== "overview") return null;
    var vn = new Set(Object.keys(OVERVIEW.positions)), ve = new Set();
    DATA.edges.forEach(function (e) {
      if ((!OVERVIEW_KEYS || OVERVIEW_KEYS.has(e.key) || kindLink(e)) && vn.has(e.from) && vn.has(e.to)) ve.add(e.id);
    });
    return { nodes: vn, edges: ve };
  })();
  var nodes = new vis.DataSet(DATA.nodes.filter(function (n) { return !opening || opening.nodes.has(n.id); }).map(visNode));
  var edges = new vis.DataSet(DATA.edges.filter(function (e) { return !opening || opening.edges.has(e.id); }).map(visEdge));
  var loadedAll = !opening;
  var T_DATASETS = performance.now();
  // The rest join in slices between frames, so the page stays responsive; anything that needs them all
  // (a filter, another view) adds what is left at once.
  var restNodes = opening ? DATA.nodes.filter(function (n) { return !opening.nodes.has(n.id); }) : [];
  var restEdges = opening ? DATA.edges.filter(function (e) { return !opening.edges.has(e.id); }) : [];
  function addSlice(limit) {
    var n = restNodes.splice(0, limit), e = n.length < limit ? restEdges.splice(0, limit - n.length) : [];
    if (n.length) nodes.add(n.map(function (x) { var v = visNode(x); v.hidden = true; return v; }));
    if (e.length) edges.add(e.map(function (x) { var v = visEdge(x); v.hidden = true; return v; }));
    loadedAll = !restNodes.length && !restEdges.length;
  }
  function ensureAll() { if (!loadedAll) addSlice(Infinity); }
  function loadInSlices() { if (!loadedAll) { addSlice(4000); setTimeout(loadInSlices, 0); } }
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 1 },
    nodes: { borderWidth: 1, borderWidthSelected: 4 },
    edges: { smooth: false, selectionWidth: 2, color: { opacity: 0.9 }, arrows: { to: { enabled: true, scaleFactor: 0.5 } } },
    interaction: { hover: !BIG, hideEdgesOnDrag: BIG, hideEdgesOnZoom: BIG, keyboard: false, multiselect: false, tooltipDelay: 3600000 }
  });
  // vis-network 9.1.2 internals used for fast filtering; if a later version lacks them, DataSet updates are used.
  var DIRECT = !!(network.body && network.body.nodes && network.body.edges && typeof network._updateVisibleIndices === "function");
  var timings = { scriptStart: T0, parsed: T_PARSED, datasets: T_DATASETS, networkCreated: performance.now(), firstDraw: null };
  var moved = {}; // id -> true for nodes away from their whole-graph position
  var layoutVersion = 0, visibilityVersion = 0, lastPlacement = null;

  function positionsFor(view) {
    var map = {};
    if (view === "overview" && OVERVIEW) map = OVERVIEW.positions;
    return map;
  }

  // Through the drawn objects when possible: moveNode schedules a render per node.
  function place(id, x, y) {
    var b = DIRECT && network.body.nodes[id];
    if (b) { b.x = x; b.y = y; } else network.moveNode(id, x, y);
  }
  function usePositions(map) {
    Object.keys(moved).forEach(function (id) { if (!map[id]) { place(id, terms[id].x, terms[id].y); delete moved[id]; } });
    Object.keys(map).forEach(function (id) { place(id, map[id][0], map[id][1]); moved[id] = true; });
    layoutVersion += 1;
  }
  if (state.view === "overview") Object.keys(OVERVIEW.positions).forEach(function (id) { moved[id] = true; });

  /* ---------------------------------------------------------------- labels that never collide */

  var widthCache = {};
  var measureCtx = document.createElement("canvas").getContext("2d");
  function textWidth(text, font) {
    var key = font + "\u0000" + text;
    if (!(key in widthCache)) { measureCtx.font = font; widthCache[key] = measureCtx.measureText(text).width; }
    return widthCache[key];
  }
  function shortLabel(text, forced) {
    return forced || text.length <= 34 ? text : text.slice(0, 32) + "…";
  }

  // A uniform grid of boxes, so each placement tests only its neighbours.
  function Grid(cell) { this.cell = cell; this.cells = {}; }
  Grid.prototype.keys = function (b) {
    var out = [], c = this.cell;
    for (var gx = Math.floor(b[0] / c); gx <= Math.floor(b[2] / c); gx++)
      for (var gy = Math.floor(b[1] / c); gy <= Math.floor(b[3] / c); gy++) out.push(gx + "," + gy);
    return out;
  };
  Grid.prototype.add = function (b) {
    var self = this;
    this.keys(b).forEach(function (k) { (self.cells[k] = self.cells[k] || []).push(b); });
  };
  Grid.prototype.hits = function (b, ignore) {
    var keys = this.keys(b);
    for (var i = 0; i < keys.length; i++) {
      var list = this.cells[keys[i]];
      if (!list) continue;
      for (var j = 0; j < list.length; j++) {
        var o = list[j];
        if (o.owner !== ignore && o[0] < b[2] && b[0] < o[2] && o[1] < b[3] && b[1] < o[3]) return true;
      }
    }
    return false;
  };

  var drawn = { labels: [], nodes: [], icons: [], headings: [] };

  function screenTransform() {
    var o = network.canvasToDOM({ x: 0, y: 0 }), u = network.canvasToDOM({ x: 1, y: 0 });
    return { s: u.x - o.x, ox: o.x, oy: o.y };
  }

  function nodeXY(id) {
    if (DIRECT) { var b = network.body.nodes[id]; return { x: b.x, y: b.y }; }
    return network.getPosition(id);
  }

  function placeLabels(ctx) {
    var t = screenTransform(), W = container.clientWidth, H = container.clientHeight;
    var grid = new Grid(48), result = { labels: [], nodes: [], icons: [], headings: [] };
    var onScreen = [];
    shown.nodes.forEach(function (id) {
      var p = nodeXY(id), x = p.x * t.s + t.ox, y = p.y * t.s + t.oy, r = terms[id].size * t.s + 0.5;
      if (x + r < 0 || y + r < 0 || x - r > W || y - r > H) return;
      var box = [x - r, y - r, x + r, y + r];
      box.owner = id;
      grid.add(box);
      result.nodes.push({ id: id, box: box.slice(0, 4), x: x, y: y, r: r });
      onScreen.push(id);
    });
    var at = {};
    result.nodes.forEach(function (n) { at[n.id] = n; });
    function tryPlace(id, text, font, forced, kind) {
      var n = at[id], w = textWidth(text, font) + 4, h = 15, r = n.r;
      var spots = [[n.x + r + 3, n.y - h / 2], [n.x - r - 3 - w, n.y - h / 2], [n.x - w / 2, n.y + r + 2], [n.x - w / 2, n.y - r - 2 - h]];
      if (leftFirst.has(id)) spots.unshift(spots.splice(1, 1)[0]); // the opening view's first column: labels to the left
      if (forced) [18, 36, 60, 90, 130, 180, 240].forEach(function (d) {
        spots.push([n.x + r + d, n.y - h / 2 - d], [n.x + r + d, n.y + d - h / 2], [n.x - r - d - w, n.y - h / 2 - d],
                   [n.x - r - d - w, n.y + d - h / 2], [n.x - w / 2, n.y + r + d], [n.x - w / 2, n.y - r - d - h]);
      });
      for (var i = 0; i < spots.length; i++) {
        var b = [spots[i][0], spots[i][1], spots[i][0] + w, spots[i][1] + h];
        if (!forced && (b[0] < 0 || b[1] < 0 || b[2] > W || b[3] > H)) continue;
        if (grid.hits(b, id)) continue;
        b.owner = "label:" + id;
        grid.add(b);
        result[kind].push({ id: id, text: text, font: font, box: b.slice(0, 4), anchor: [n.x, n.y], leader: i >= 4 });
        return true;
      }
      return false;
    }
    // Column headings of the opening view go first: they explain it.
    if (state.view === "overview" && OVERVIEW) OVERVIEW.columns.forEach(function (c) {
      var top = Infinity;
      c.ids.forEach(function (id) { if (shown.nodes.has(id)) top = Math.min(top, OVERVIEW.positions[id][1]); });
      if (top === Infinity) return;
      var x = c.x * t.s + t.ox, y = top * t.s + t.oy - 34, w = textWidth(c.heading, FONT_BOLD) + 4;
      var left = c === OVERVIEW.columns[0] ? x + 8 - w : x - 8; // the first column's labels sit to its left
      left = Math.max(4, left); // never past the canvas's left edge (a narrow window cut the first heading)
      var b = [left, y, left + w, y + 15];
      if (grid.hits(b, null)) return;
      b.owner = "heading";
      grid.add(b);
      result.headings.push({ id: c.heading, text: c.heading, font: FONT_BOLD, box: b.slice(0, 4) });
    });
    var leftFirst = new Set(state.view === "overview" && OVERVIEW.columns.length ? OVERVIEW.columns[0].ids : []);
    var done = new Set();
    var forced = [state.selected, state.hovered].concat(state.searched);
    forced.forEach(function (id) {
      if (!id || done.has(id) || !at[id]) return;
      done.add(id);
      tryPlace(id, terms[id].label, FONT_BOLD, true, "labels");
    });
    // Direction icons of visible decision links, at the link's middle.
    if (!BIG || t.s > 0.4) shown.edges.forEach(function (eid) {
      var e = edgeById[eid], d = decision(e);
      if (!d || !at[e.from] || !at[e.to]) return;
      var a = at[e.from], b = at[e.to], mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
      var box = [mx - 7, my - 7, mx + 7, my + 7];
      if (grid.hits(box, null)) return;
      box.owner = "icon:" + eid;
      grid.add(box);
      result.icons.push({ id: eid, text: d.looks.icon, color: d.looks.color, box: box.slice(0, 4) });
    });
    var budget = performance.now() + (BIG ? 40 : 200), count = 0;
    for (var i = 0; i < byImportance.length; i++) {
      var id = byImportance[i];
      if (done.has(id) || !at[id]) continue;
      if ((++count & 31) === 0 && performance.now() > budget) break;
      tryPlace(id, shortLabel(terms[id].label, false), FONT, false, "labels");
    }
    return result;
  }

  function paintLabels(ctx, result) {
    var ratio = (network.canvas && network.canvas.pixelRatio) || window.devicePixelRatio || 1;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    result.headings.forEach(function (h) {
      ctx.font = h.font; ctx.fillStyle = "#12355b";
      ctx.fillText(h.text, h.box[0] + 2, (h.box[1] + h.box[3]) / 2);
    });
    result.icons.forEach(function (ic) {
      var cx = (ic.box[0] + ic.box[2]) / 2, cy = (ic.box[1] + ic.box[3]) / 2;
      ctx.beginPath(); ctx.arc(cx, cy, 7, 0, 2 * Math.PI); ctx.fillStyle = ic.color; ctx.fill();
      ctx.lineWidth = 1.5; ctx.strokeStyle = "#ffffff"; ctx.stroke();
      ctx.font = "bold 10px system-ui, sans-serif"; ctx.fillStyle = "#ffffff"; ctx.textAlign = "center";
      ctx.fillText(ic.text, cx, cy + 0.5);
      ctx.textAlign = "start";
    });
    result.labels.forEach(function (l) {
      var b = l.box, special = l.font === FONT_BOLD;
      if (l.leader) {
        ctx.beginPath(); ctx.moveTo(l.anchor[0], l.anchor[1]);
        ctx.lineTo(Math.max(b[0], Math.min(l.anchor[0], b[2])), Math.max(b[1], Math.min(l.anchor[1], b[3])));
        ctx.strokeStyle = "#555"; ctx.lineWidth = 1; ctx.stroke();
      }
      if (special) { ctx.fillStyle = "rgba(255,244,204,0.95)"; ctx.fillRect(b[0], b[1], b[2] - b[0], b[3] - b[1]); }
      ctx.font = l.font;
      ctx.lineWidth = 3; ctx.strokeStyle = "#ffffff";
      if (!special) ctx.strokeText(l.text, b[0] + 2, (b[1] + b[3]) / 2);
      ctx.fillStyle = "#1d1d1d";
      ctx.fillText(l.text, b[0] + 2, (b[1] + b[3]) / 2);
    });
    ctx.restore();
  }

  network.on("afterDrawing", function (ctx) {
    if (state.view === "pathways") return;
    // Placement depends on the view transform, what is shown and what is selected, hovered or searched;
    // a redraw that changes none of them (hover on an edge, a drag) reuses the last one.
    var t = screenTransform();
    var key = [t.s, t.ox, t.oy, container.clientWidth, container.clientHeight, layoutVersion, visibilityVersion, state.view,
               state.selected, state.hovered, state.searched.join(" ")].join("|");
    if (key !== lastPlacement) { drawn = placeLabels(ctx); lastPlacement = key; }
    paintLabels(ctx, drawn);
    if (timings.firstDraw === null) { timings.firstDraw = performance.now(); setTimeout(loadInSlices, 30); }
  });

  /* ---------------------------------------------------------------- visibility */

  function visibleNodeSet() {
    var out = new Set();
    DATA.nodes.forEach(function (n) {
      if (state.familyOn.has(n.family) && (!state.focus || state.focus.has(n.id))) out.add(n.id);
    });
    return out;
  }

  var shown = opening || { nodes: new Set(), edges: new Set() };
  var initialised = !!opening;

  function edgeAllowed(e) {
    if (!state.predicateOn.has(e.key)) return false;
    if (state.view === "overview") return !OVERVIEW_KEYS || OVERVIEW_KEYS.has(e.key) || kindLink(e);
    return true;
  }

  function applyVisibility() {
    ensureAll();
    hideTip();
    var vn = visibleNodeSet(), ve = new Set(), nodeUpdates = [], edgeUpdates = [];
    DATA.edges.forEach(function (e) { if (edgeAllowed(e) && vn.has(e.from) && vn.has(e.to)) ve.add(e.id); });
    DATA.nodes.forEach(function (n) {
      var was = initialised ? shown.nodes.has(n.id) : true;
      if (vn.has(n.id) !== was) nodeUpdates.push({ id: n.id, hidden: !vn.has(n.id) });
    });
    DATA.edges.forEach(function (e) {
      var was = initialised ? shown.edges.has(e.id) : true;
      if (ve.has(e.id) !== was) edgeUpdates.push({ id: e.id, hidden: !ve.has(e.id) });
    });
    initialised = true;
    if (DIRECT) {
      // Toggle the drawn objects and rebuild only the visible-index lists: a DataSet update makes
      // vis-network recompute every node and edge (seconds at 20x the real graph); this is linear and small.
      nodeUpdates.forEach(function (u) { network.body.nodes[u.id].options.hidden = u.hidden; });
      edgeUpdates.forEach(function (u) { network.body.edges[u.id].options.hidden = u.hidden; });
      if (nodeUpdates.length || edgeUpdates.length) { network._updateVisibleIndices(); network.redraw(); }
    } else {
      if (nodeUpdates.length) nodes.update(nodeUpdates);
      if (edgeUpdates.length) edges.update(edgeUpdates);
    }
    shown = { nodes: vn, edges: ve };
    visibilityVersion += 1;
    updateStatus();
  }

  var VIEW_NAMES = {
    overview: "opening view: " + (OVERVIEW ? OVERVIEW.caption : ""),
    all: "whole graph", focus: "focused view", pathways: "treatment pathways as flowcharts"
  };

  function updateStatus() {
    var text;
    if (state.view === "pathways") {
      var list = chosenPathways();
      text = "Showing " + list.length + " of " + DATA.pathways.length + " treatment pathways, steps in order left to right";
    } else {
      text = "Showing " + shown.nodes.size + " of " + DATA.nodes.length + " terms and " + shown.edges.size +
        " of " + DATA.edges.length + " links · " + VIEW_NAMES[state.view];
    }
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

  var graphBox = document.getElementById("graph"), flowBox = document.getElementById("flow");

  function fitTo(ids, labelRoom) {
    if (!ids.length) return;
    network.fit({ nodes: ids, animation: false, maxZoomLevel: 1.5 });
    if (labelRoom) {
      // Leave room to the right for the last column's labels.
      var s = network.getScale() * 0.86, c = network.getViewPosition();
      network.moveTo({ position: { x: c.x + 70 / s, y: c.y - 10 / s }, scale: s, animation: false });
    }
  }

  // Set the view from state.view (and focusId/hops/pathway); nothing is pushed to history here.
  function renderView() {
    var graphView = state.view !== "pathways";
    graphBox.hidden = !graphView;
    flowBox.hidden = graphView;
    setPressed();
    if (!graphView) { applyVisibility(); drawFlows(); return; }
    usePositions(positionsFor(state.view));
    var arcs = state.view === "overview";
    if (arcs !== arcsOn) {
      // One edge at a time through the drawn objects: a DataSet update recomputes every edge each time.
      arcsOn = arcs;
      DATA.edges.forEach(function (e) {
        if (!kindLink(e)) return;
        if (DIRECT && network.body.edges[e.id]) network.body.edges[e.id].setOptions({ smooth: arcs ? ARC : STRAIGHT });
        else edges.update({ id: e.id, smooth: arcs ? ARC : STRAIGHT });
      });
    }
    if (state.view === "overview") {
      state.focus = new Set(Object.keys(OVERVIEW.positions));
    } else if (state.view === "focus" && terms[state.focusId]) {
      state.focus = neighbourhood(state.focusId, state.hops);
      state.familyOn.add(terms[state.focusId].family);
    } else {
      state.view = state.view === "focus" ? "all" : state.view;
      state.focus = null;
    }
    syncFilterBoxes();
    applyVisibility();
    if (state.view === "all") network.fit({ animation: false });
    else fitTo(Array.from(shown.nodes), state.view === "overview" && OVERVIEW.columns.length > 0);
  }

  function go(view, extra) {
    state.view = view;
    if (extra) Object.keys(extra).forEach(function (k) { state[k] = extra[k]; });
    renderView();
    if (state.selected && state.view !== "pathways" && shown.nodes.has(state.selected)) network.selectNodes([state.selected], true);
    writeHash();
  }

  function setPressed() {
    var pressed = { overview: "show-overview", all: "show-all", pathways: "show-pathways" }[state.view];
    if (state.view === "focus") {
      var preset = DATA.presets.filter(function (p) { return p.id === state.focusId && state.hops === 1; })[0];
      if (preset) pressed = "preset-" + preset.id;
    }
    document.querySelectorAll("#views button").forEach(function (b) {
      b.setAttribute("aria-pressed", b.id === pressed ? "true" : "false");
    });
  }

  /* ---------------------------------------------------------------- pathways as flowcharts */

  function chosenPathways() {
    return DATA.pathways.filter(function (p) { return !state.pathway || p.id === state.pathway; });
  }

  function wrap(text, width, font) {
    var words = String(text).split(/\s+/), lines = [], line = "";
    words.forEach(function (w) {
      var next = line ? line + " " + w : w;
      if (line && textWidth(next, font) > width) { lines.push(line); line = w; } else line = next;
    });
    if (line) lines.push(line);
    return lines;
  }

  // The columns of one lane: its conditions, then the steps, a run of steps with no stated order sharing a column.
  function laneColumns(p) {
    var cols = [];
    if (p.conditions.length) cols.push({ kind: "condition", items: p.conditions.map(function (c) { return { term: c, tag: "for", ids: [c] }; }) });
    var number = 0;
    p.steps.forEach(function (s, i) {
      var item = { step: s.id, ids: s.activities.length ? s.activities : [s.id], optional: s.optional };
      if (i > 0 && !s.after && cols.length && cols[cols.length - 1].kind === "steps") {
        var col = cols[cols.length - 1];
        col.unordered = true;
        item.tag = "step " + col.number + (s.optional ? " · optional" : "");
        col.items.push(item);
      } else {
        number += 1;
        item.tag = "step " + number + (s.optional ? " · optional" : "");
        cols.push({ kind: "steps", number: number, items: [item] });
      }
    });
    return cols;
  }

  var flowLayout = null;

  function drawFlows() {
    var list = chosenPathways(), W = Math.max(320, flowBox.clientWidth - 40);
    var lanes = list.map(function (p) { return { p: p, cols: laneColumns(p) }; });
    var maxCols = Math.max.apply(null, [1].concat(lanes.map(function (l) { return l.cols.length; })));
    var gap = 34, colW = Math.max(118, Math.min(230, (W - (maxCols - 1) * gap) / maxCols));
    var svg = svgEl("svg", { xmlns: SVG, role: "img", "font-family": FLOW_FONT.replace(/^13px /, ""), "font-size": 13 });
    svg.appendChild(svgEl("title", {}, "Treatment pathways, steps in order left to right"));
    var defs = svgEl("defs");
    var marker = svgEl("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    marker.appendChild(svgEl("path", { d: "M0,0 L10,5 L0,10 z", fill: "#333333" }));
    defs.appendChild(marker);
    svg.appendChild(defs);
    svg.appendChild(svgEl("rect", { x: 0, y: 0, width: "100%", height: "100%", fill: "#ffffff" }));
    var y = 12, boxes = [];
    lanes.forEach(function (lane, li) {
      var g = svgEl("g", { "data-pathway": lane.p.id, class: "lane" });
      var band = svgEl("rect", { x: 2, y: y - 6, width: W + 8, height: 10, rx: 8, fill: li % 2 ? "#f4f6f8" : "#fafbfc", stroke: "#d8dee4" });
      g.appendChild(band);
      var top = y;
      var title = svgEl("text", { x: 12, y: y + 14, "font-weight": "bold", "font-size": 14, fill: "#12355b", class: "flow-label lane-title", "data-term": lane.p.id }, lane.p.label);
      g.appendChild(title);
      y += 24;
      if (state.pathway && terms[lane.p.id].definition) {
        wrap(terms[lane.p.id].definition, W - 24, FLOW_FONT).forEach(function (line) {
          g.appendChild(svgEl("text", { x: 12, y: y + 12, fill: "#444444", class: "flow-label lane-note" }, line));
          y += 17;
        });
        y += 4;
      }
      // Measure every box, then place the columns side by side, each centred on the lane's row.
      var cols = lane.cols.map(function (col) {
        var items = col.items.map(function (it) {
          var text = it.ids.map(label).join(" + ");
          var lines = wrap(text, colW - 18, FLOW_FONT);
          return { it: it, lines: lines, h: 24 + lines.length * 17 + 8 };
        });
        var h = items.reduce(function (a, b) { return a + b.h; }, 0) + (items.length - 1) * 8 + (col.unordered ? 18 : 0);
        return { col: col, items: items, h: h };
      });
      var rowH = Math.max.apply(null, [40].concat(cols.map(function (c) { return c.h; })));
      cols.forEach(function (c, ci) {
        var x = 12 + ci * (colW + gap), cy = y + (rowH - c.h) / 2;
        if (c.col.unordered) {
          g.appendChild(svgEl("text", { x: x + 4, y: cy + 12, fill: "#555555", "font-style": "italic", class: "flow-label" }, "in any order"));
          cy += 18;
        }
        c.items.forEach(function (item) {
          var isCondition = c.col.kind === "condition";
          var rect = svgEl("rect", {
            x: x, y: cy, width: colW, height: item.h, rx: 7,
            fill: isCondition ? "#fbe9e7" : "#eaf2fb", stroke: isCondition ? "#cc3311" : "#0072b2", "stroke-width": 1.5,
            class: "flow-box", "data-term": item.it.ids[0]
          });
          if (item.it.optional) rect.setAttribute("stroke-dasharray", "6 4");
          if (item.it.step) rect.setAttribute("data-step", item.it.step);
          g.appendChild(rect);
          boxes.push([x, cy, x + colW, cy + item.h]);
          g.appendChild(svgEl("text", { x: x + 9, y: cy + 16, fill: "#555555", "font-size": 11, class: "flow-label flow-tag" }, item.it.tag));
          item.lines.forEach(function (line, k) {
            var t = svgEl("text", { x: x + 9, y: cy + 36 + k * 17, fill: "#1d1d1d", class: "flow-label flow-step", "data-term": item.it.ids[0] }, line);
            if (item.it.step) t.setAttribute("data-step", item.it.step);
            g.appendChild(t);
          });
          cy += item.h + 8;
        });
        if (ci > 0) {
          var ax = 12 + (ci - 1) * (colW + gap) + colW + 2, mid = y + rowH / 2;
          g.appendChild(svgEl("line", { x1: ax, y1: mid, x2: ax + gap - 5, y2: mid, stroke: "#333333", "stroke-width": 1.8, "marker-end": "url(#arrow)" }));
        }
      });
      y += rowH + 14;
      band.setAttribute("height", y - top);
      y += 12;
      svg.appendChild(g);
    });
    svg.setAttribute("width", W + 14);
    svg.setAttribute("height", y);
    svg.setAttribute("viewBox", "0 0 " + (W + 14) + " " + y);
    svg.querySelectorAll("[data-term]").forEach(function (node) {
      node.addEventListener("click", function () { select(node.getAttribute("data-term"), false); });
    });
    flowBox.textContent = "";
    flowBox.appendChild(svg);
    flowLayout = { boxes: boxes };
    markFlowSelection();
  }

  function markFlowSelection() {
    var first = null;
    flowBox.querySelectorAll("rect.flow-box").forEach(function (r) {
      var on = r.getAttribute("data-term") === state.selected;
      r.setAttribute("stroke-width", on ? 3.5 : 1.5);
      if (on && !first) first = r;
    });
    if (first && !flowBox.hidden) first.scrollIntoView({ block: "nearest" }); // a term picked elsewhere comes into view
  }

  /* ---------------------------------------------------------------- selection and details */

  function select(id, centre, fromHistory) {
    if (!terms[id]) return;
    state.selected = id;
    if (state.view === "pathways") {
      markFlowSelection();
    } else {
      var n = terms[id];
      if (!state.familyOn.has(n.family)) { state.familyOn.add(n.family); syncFilterBoxes(); applyVisibility(); }
      if (state.focus && !state.focus.has(id)) {
        // Out of the current view: open the term's neighbourhood, which is readable, not the whole graph.
        state.view = "focus"; state.focusId = id; state.hops = 1;
        renderView();
        centre = false;
      }
      network.selectNodes([id], true);
      if (centre !== false) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
      network.redraw();
    }
    showDetails(id);
    if (!fromHistory) writeHash();
  }

  function clearSelection() {
    state.selected = null;
    state.searched = [];
    network.unselectAll();
    network.redraw();
    markFlowSelection();
    var box = document.getElementById("details");
    box.textContent = "";
    box.removeAttribute("data-term");
    box.appendChild(el("p", "Search for a term, or click one in the graph, to see what it is, where the statement comes from and what it connects to.", "placeholder"));
    writeHash();
  }

  function termLink(id) {
    var a = el("a", label(id), "term");
    a.href = "#term=" + encodeURIComponent(id);
    a.setAttribute("data-term", id);
    a.addEventListener("click", function (ev) { ev.preventDefault(); select(id); });
    return a;
  }

  function section(parent, title, cls) { var h = el("h3", title); if (cls) h.className = cls; parent.appendChild(h); return h; }

  function listOf(parent, items, render, cls) {
    var ul = el("ul");
    if (cls) ul.className = cls;
    items.forEach(function (item) { var li = el("li"); render(li, item); ul.appendChild(li); });
    parent.appendChild(ul);
    return ul;
  }

  function provenance(li, e) {
    e.sources.forEach(function (s) {
      var d = el("div", "Source: " + sourceText(s), "source");
      li.appendChild(d);
    });
    if (e.passage) li.appendChild(el("div", "Passage: " + e.passage, "source passage"));
  }

  function relationItem(li, e, otherId) {
    var d = decision(e);
    if (d) { li.appendChild(decisionBadge(d)); li.appendChild(document.createTextNode(" ")); }
    li.appendChild(termLink(otherId));
    var q = [];
    if (d && d.strength) q.push("strength: " + d.strength);
    if (e.inferred) q.push("inferred by the reasoner");
    if (e.frequency) q.push("frequency: " + e.frequency);
    if (e.optional) q.push("optional");
    if (q.length) li.appendChild(el("span", " (" + q.join("; ") + ")", "qualifier"));
    if (e.context) li.appendChild(el("div", e.context, "qualifier"));
    if (e.conflict) {
      var c = el("div", "Sources disagree: ", "qualifier");
      c.appendChild(termLink(e.conflict));
      li.appendChild(c);
    }
    provenance(li, e);
  }

  function groupsOf(list, keyOf) {
    var out = {};
    list.forEach(function (e) { (out[keyOf(e)] = out[keyOf(e)] || []).push(e); });
    return Object.keys(out).sort(function (a, b) { return predicates[a].label.localeCompare(predicates[b].label); })
      .map(function (k) { return [k, out[k]]; });
  }

  // Statements a term inherits: those of its ancestors (by is-a links, nearest first) it does not state itself.
  function inherited(id) {
    var own = new Set(outgoing[id].map(function (e) { return e.predicate + " " + e.to; }));
    var seen = new Set([id]), frontier = [id], found = [];
    while (frontier.length) {
      var next = [];
      frontier.forEach(function (nid) {
        outgoing[nid].forEach(function (e) {
          if (e.predicate !== SUBCLASS || seen.has(e.to)) return;
          seen.add(e.to); next.push(e.to);
        });
      });
      next.sort();
      next.forEach(function (anc) {
        outgoing[anc].forEach(function (e) {
          var key = e.predicate + " " + e.to;
          if (e.predicate === SUBCLASS || own.has(key)) return;
          own.add(key);
          found.push({ edge: e, from: anc });
        });
      });
      frontier = next;
    }
    return found;
  }

  function copyLink(id) {
    var url = location.href.split("#")[0] + "#" + hashFor(Object.assign({}, currentHashState(), { term: id }));
    var field = document.getElementById("link-text");
    field.value = url;
    field.hidden = false;
    var done = function (ok) { document.getElementById("copy-status").textContent = ok ? "Link copied." : "Copy the link below."; };
    field.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
    if (!ok && navigator.clipboard) navigator.clipboard.writeText(url).then(function () { done(true); }, function () { done(false); });
    else done(ok);
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
      b.addEventListener("click", function () { go("focus", { focusId: id, hops: pair[1] }); });
      actions.appendChild(b);
    });
    var all = el("button", "Whole graph");
    all.type = "button"; all.setAttribute("data-action", "whole-graph");
    all.addEventListener("click", function () { go("all"); select(id); });
    actions.appendChild(all);
    var copy = el("button", "Copy link");
    copy.type = "button"; copy.id = "copy-link";
    copy.addEventListener("click", function () { copyLink(id); });
    actions.appendChild(copy);
    box.appendChild(actions);
    var field = el("input");
    field.id = "link-text"; field.readOnly = true; field.hidden = true; field.setAttribute("aria-label", "Link to this term");
    box.appendChild(field);
    box.appendChild(el("div", "", "qualifier")).id = "copy-status";

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

    var sides = conflictSides[id];
    if (sides) {
      section(box, "What the sources say, side by side", "conflict-heading");
      var bySubject = {};
      sides.forEach(function (e) { (bySubject[e.from] = bySubject[e.from] || []).push(e); });
      listOf(box, Object.keys(bySubject).sort(), function (li, subject) {
        li.className = "side";
        li.setAttribute("data-side", subject);
        li.appendChild(termLink(subject));
        var seenSources = new Set();
        bySubject[subject].forEach(function (e) {
          var line = el("div", null, "qualifier");
          line.appendChild(document.createTextNode(predicates[e.key].label + " → "));
          line.appendChild(termLink(e.to));
          li.appendChild(line);
          if (e.context) li.appendChild(el("div", e.context, "qualifier"));
          e.sources.forEach(function (s) {
            var t = sourceText(s);
            if (!seenSources.has(t)) { seenSources.add(t); li.appendChild(el("div", "Source: " + t, "source")); }
          });
          if (e.passage) li.appendChild(el("div", "Passage: " + e.passage, "source passage"));
        });
      }, "sides");
    }

    var decisions = incoming[id].filter(function (e) { return decision(e); });
    if (decisions.length) {
      section(box, "Decisions about it");
      box.appendChild(el("p", "What the sources say can weigh for or against it. BCTO informs; it does not advise.", "qualifier"));
      DIRECTION_ORDER.forEach(function (dir) {
        var these = decisions.filter(function (e) { return decision(e).direction === dir; });
        if (!these.length) return;
        box.appendChild(el("h4", DATA.directions[dir].icon + " " + DATA.directions[dir].label));
        listOf(box, these, function (li, e) {
          relationItem(li, e, e.from);
          outgoing[e.from].filter(function (x) { return x.predicate === "concernsFactor"; }).forEach(function (x) {
            var line = el("div", "factor: ", "qualifier");
            line.appendChild(termLink(x.to));
            li.appendChild(line);
          });
        }, "decisions");
      });
    }

    section(box, "What it connects to");
    var out = outgoing[id], inc = incoming[id];
    if (!out.length && !inc.length) box.appendChild(el("p", sides ? "No links of its own: it is named by the statements above." : "No links.", "qualifier"));
    groupsOf(out, function (e) { return e.key; }).forEach(function (g) {
      box.appendChild(el("h4", "This term " + predicates[g[0]].label + " →"));
      listOf(box, g[1], function (li, e) { relationItem(li, e, e.to); });
    });
    groupsOf(inc, function (e) { return e.key; }).forEach(function (g) {
      box.appendChild(el("h4", "← " + predicates[g[0]].label + " this term"));
      listOf(box, g[1], function (li, e) { relationItem(li, e, e.from); });
    });

    var inh = inherited(id);
    if (inh.length) {
      section(box, "Inherited from broader terms");
      box.appendChild(el("p", "Stated for a broader term this one is a kind of, so they hold for it too.", "qualifier"));
      listOf(box, inh, function (li, item) {
        li.className = "inherited";
        li.setAttribute("data-from", item.from);
        li.appendChild(el("span", predicates[item.edge.key].label + " "));
        relationItem(li, item.edge, item.edge.to);
        var from = el("div", "inherited from ", "qualifier");
        from.appendChild(termLink(item.from));
        li.appendChild(from);
      }, "inherited-list");
    }
  }

  network.on("click", function (params) {
    if (params.nodes.length) select(params.nodes[0], false);
  });

  /* ---------------------------------------------------------------- tooltip (ours, so it never outlives its node) */

  var tip = document.getElementById("tip");
  function hideTip() { tip.hidden = true; state.hovered = null; }
  network.on("hoverNode", function (params) {
    var n = terms[params.node];
    state.hovered = params.node;
    tip.textContent = "";
    tip.appendChild(el("strong", n.label));
    tip.appendChild(el("div", families[n.family].label));
    if (n.definition) tip.appendChild(el("div", n.definition));
    var p = network.canvasToDOM(network.getPosition(params.node));
    tip.style.left = Math.min(p.x + 14, container.clientWidth - 260) + "px";
    tip.style.top = (p.y + 14) + "px";
    tip.hidden = false;
    network.redraw();
  });
  network.on("blurNode", function () { hideTip(); network.redraw(); });
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  /* ---------------------------------------------------------------- filters (legend) */

  function filterBox(parent, item, set, icon, kind) {
    var lab = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = item.id;
    box.setAttribute("data-" + kind, item.id);
    box.addEventListener("change", function () {
      if (box.checked) set.add(item.id); else set.delete(item.id);
      if (state.view === "focus") renderView(); else applyVisibility();
      writeHash();
    });
    lab.appendChild(box); lab.appendChild(icon); lab.appendChild(el("span", item.label));
    if (item.definition) lab.title = item.definition;
    lab.appendChild(el("span", item.count, "count"));
    parent.appendChild(lab);
  }

  function syncFilterBoxes() {
    document.querySelectorAll("input[data-family]").forEach(function (b) { b.checked = state.familyOn.has(b.value); });
    document.querySelectorAll("input[data-predicate]").forEach(function (b) { b.checked = state.predicateOn.has(b.value); });
  }

  var famBox = document.getElementById("family-filters");
  DATA.families.forEach(function (f) { filterBox(famBox, f, state.familyOn, shapeIcon(f.shape, f.color), "family"); });
  var predBox = document.getElementById("predicate-filters");
  DATA.groups.forEach(function (g) {
    var members = DATA.predicates.filter(function (p) { return p.group === g.id; });
    if (!members.length) return;
    var head = el("div", null, "group");
    head.setAttribute("data-group", g.id);
    head.appendChild(lineIcon(g));
    head.appendChild(el("strong", g.label));
    predBox.appendChild(head);
    members.forEach(function (p) { filterBox(predBox, p, state.predicateOn, lineIcon(edgeStyle({ key: p.id })), "predicate"); });
  });
  var dirBox = document.getElementById("direction-legend");
  DIRECTION_ORDER.forEach(function (k) {
    var d = DATA.directions[k], row = el("div", null, "direction");
    row.appendChild(decisionBadge({ direction: k, looks: d }));
    row.appendChild(lineIcon(d));
    dirBox.appendChild(row);
  });

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
      li.tabIndex = 0;
      li.setAttribute("role", "option");
      li.setAttribute("data-term", r.id);
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      li.appendChild(shapeIcon(f.shape, f.color, 11));
      li.appendChild(el("span", terms[r.id].label));
      if (r.entry.kind) li.appendChild(el("span", r.entry.kind + ": " + r.entry.name, "matched"));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(i); });
      li.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter") { ev.preventDefault(); choose(i); input.focus(); }
        else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
          ev.preventDefault();
          var next = list.children[(i + (ev.key === "ArrowDown" ? 1 : results.length - 1)) % results.length];
          if (next) next.focus();
        }
      });
      list.appendChild(li);
    });
    if (input.value && !results.length) list.appendChild(el("li", "No term matches."));
    list.hidden = !input.value;
    input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
  }

  function closeList() { list.hidden = true; input.setAttribute("aria-expanded", "false"); }

  function choose(i) {
    if (!results[i]) return;
    state.searched = [results[i].id];
    select(results[i].id);
    closeList();
  }

  input.addEventListener("input", function () {
    results = search(input.value);
    active = 0;
    state.searched = results.map(function (r) { return r.id; }).filter(function (id) { return shown.nodes.has(id); }).slice(0, 5);
    renderSuggestions();
    // As you type: the best match is selected, centred and highlighted if it is on screen now.
    if (results.length && shown.nodes.has(results[0].id) && state.view !== "pathways") select(results[0].id, true, true);
    else network.redraw();
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
    }
  });
  document.querySelector(".search").addEventListener("focusout", function (ev) {
    if (!ev.relatedTarget || !document.querySelector(".search").contains(ev.relatedTarget)) closeList();
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    if (document.activeElement === input && (input.value || !list.hidden)) {
      input.value = ""; results = []; state.searched = []; closeList(); network.redraw();
    } else {
      if (list.contains(document.activeElement)) input.focus();
      input.value = ""; results = []; closeList();
      clearSelection();
    }
  });

  /* ---------------------------------------------------------------- state in the URL */

  function currentHashState() {
    var hidden = [];
    DATA.families.forEach(function (f) { if (!state.familyOn.has(f.id)) hidden.push("-" + f.id); });
    DATA.predicates.forEach(function (p) { if (!state.predicateOn.has(p.id)) hidden.push("-" + p.id); });
    var s = { view: state.view };
    if (state.selected) s.term = state.selected;
    if (state.view === "focus") { s.focus = state.focusId; s.hops = String(state.hops); }
    if (state.view === "pathways" && state.pathway) s.pathway = state.pathway;
    if (hidden.length) s.filters = hidden.join(",");
    return s;
  }

  function hashFor(s) {
    return ["view", "term", "focus", "hops", "pathway", "filters"].filter(function (k) { return s[k]; })
      .map(function (k) { return k + "=" + encodeURIComponent(s[k]); }).join("&");
  }

  var ownHash = null, restoring = false;
  function writeHash() {
    if (restoring) return;
    var h = hashFor(currentHashState());
    if (location.hash.slice(1) === h) return;
    ownHash = h;
    location.hash = h; // a new history entry: Back walks the selections and views
  }

  function readHash() {
    var out = {};
    location.hash.slice(1).split("&").forEach(function (pair) {
      var i = pair.indexOf("=");
      if (i > 0) { try { out[pair.slice(0, i)] = decodeURIComponent(pair.slice(i + 1)); } catch (err) { /* ignore a malformed part */ } }
    });
    if (!out.view && !out.term && location.hash.length > 1 && terms[decodeURIComponent(location.hash.slice(1))]) {
      out.term = decodeURIComponent(location.hash.slice(1)); // the older #Id links
    }
    return out;
  }

  function restore() {
    var s = readHash();
    restoring = true;
    var hidden = new Set((s.filters || "").split(",").filter(Boolean).map(function (x) { return x.replace(/^-/, ""); }));
    state.familyOn = new Set(DATA.families.map(function (f) { return f.id; }).filter(function (id) { return !hidden.has(id); }));
    state.predicateOn = new Set(DATA.predicates.map(function (p) { return p.id; }).filter(function (id) { return !hidden.has(id); }));
    var view = VIEW_NAMES[s.view] ? s.view : (OVERVIEW ? "overview" : "all");
    if (view === "overview" && !OVERVIEW) view = "all";
    state.view = view;
    state.focusId = terms[s.focus] ? s.focus : null;
    state.hops = s.hops === "2" ? 2 : 1;
    state.pathway = pathwayById[s.pathway] ? s.pathway : "";
    pathwaySelect.value = state.pathway;
    if (view === "focus" && !state.focusId) state.view = "all";
    renderView();
    if (terms[s.term]) select(s.term, false, true);
    else { state.selected = null; network.unselectAll(); clearSelectionPanel(); }
    restoring = false;
  }

  function clearSelectionPanel() {
    var box = document.getElementById("details");
    if (!box.getAttribute("data-term")) return;
    box.textContent = "";
    box.removeAttribute("data-term");
    box.appendChild(el("p", "Search for a term, or click one in the graph, to see what it is, where the statement comes from and what it connects to.", "placeholder"));
  }

  window.addEventListener("hashchange", function () {
    if (location.hash.slice(1) === ownHash) return;
    ownHash = null;
    restore();
  });

  /* ---------------------------------------------------------------- export */

  function download(name, blob) {
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function baseName() { return "bcto-" + state.view + (state.selected ? "-" + state.selected : ""); }

  function graphSvg() {
    var W = container.clientWidth, H = container.clientHeight, t = screenTransform();
    var svg = svgEl("svg", { xmlns: SVG, width: W, height: H, viewBox: "0 0 " + W + " " + H, "font-family": "system-ui, sans-serif", "font-size": 12 });
    svg.appendChild(svgEl("rect", { x: 0, y: 0, width: W, height: H, fill: "#ffffff" }));
    var at = {};
    shown.nodes.forEach(function (id) { var p = nodeXY(id); at[id] = [p.x * t.s + t.ox, p.y * t.s + t.oy]; });
    shown.edges.forEach(function (eid) {
      var e = edgeById[eid], s = edgeStyle(e), a = at[e.from], b = at[e.to];
      var line = svgEl("line", { x1: a[0].toFixed(1), y1: a[1].toFixed(1), x2: b[0].toFixed(1), y2: b[1].toFixed(1), stroke: s.color, "stroke-width": s.width });
      if (s.dashes) line.setAttribute("stroke-dasharray", s.dashes.join(" "));
      svg.appendChild(line);
    });
    shown.nodes.forEach(function (id) {
      var f = families[terms[id].family], r = terms[id].size * t.s, p = at[id];
      var shape = shapeElement(f.shape, f.color, p[0] - r, p[1] - r, 2 * r);
      shape.setAttribute("data-term", id);
      svg.appendChild(shape);
    });
    drawn.icons.forEach(function (ic) {
      var cx = (ic.box[0] + ic.box[2]) / 2, cy = (ic.box[1] + ic.box[3]) / 2;
      svg.appendChild(svgEl("circle", { cx: cx, cy: cy, r: 7, fill: ic.color, stroke: "#ffffff" }));
      svg.appendChild(svgEl("text", { x: cx, y: cy + 4, "text-anchor": "middle", fill: "#ffffff", "font-size": 10, "font-weight": "bold" }, ic.text));
    });
    drawn.headings.concat(drawn.labels).forEach(function (l) {
      svg.appendChild(svgEl("text", { x: (l.box[0] + 2).toFixed(1), y: (l.box[1] + 11).toFixed(1), fill: "#1d1d1d",
        "font-weight": l.font === FONT ? "normal" : "bold", stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke", class: "label" }, l.text));
    });
    return svg;
  }

  function currentSvgText() {
    var svg = state.view === "pathways" ? flowBox.querySelector("svg") : graphSvg();
    return new XMLSerializer().serializeToString(svg);
  }

  function exportSvg() { download(baseName() + ".svg", new Blob([currentSvgText()], { type: "image/svg+xml" })); }

  function exportPng() {
    if (state.view !== "pathways") {
      var source = container.querySelector("canvas"), out = document.createElement("canvas");
      out.width = source.width; out.height = source.height;
      var ctx = out.getContext("2d");
      ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, out.width, out.height);
      ctx.drawImage(source, 0, 0);
      out.toBlob(function (blob) { download(baseName() + ".png", blob); }, "image/png");
      return;
    }
    var svg = flowBox.querySelector("svg"), img = new Image();
    var w = Number(svg.getAttribute("width")), h = Number(svg.getAttribute("height"));
    img.onload = function () {
      var c = document.createElement("canvas");
      c.width = w * 2; c.height = h * 2;
      var ctx = c.getContext("2d");
      ctx.scale(2, 2);
      ctx.drawImage(img, 0, 0, w, h);
      c.toBlob(function (blob) { download(baseName() + ".png", blob); }, "image/png");
    };
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(currentSvgText());
  }

  document.getElementById("export-png").addEventListener("click", exportPng);
  document.getElementById("export-svg").addEventListener("click", exportSvg);
  document.getElementById("print").addEventListener("click", function () { window.print(); });

  /* ---------------------------------------------------------------- view buttons */

  var overviewButton = document.getElementById("show-overview");
  if (OVERVIEW) overviewButton.addEventListener("click", function () { go("overview"); });
  else overviewButton.hidden = true;
  document.getElementById("show-all").addEventListener("click", function () { go("all"); });
  var presets = document.getElementById("presets");
  DATA.presets.forEach(function (p) {
    var b = el("button", p.label);
    b.type = "button"; b.id = "preset-" + p.id; b.setAttribute("data-term", p.id);
    b.title = "Show " + p.label + " and the terms linked to it";
    b.addEventListener("click", function () { go("focus", { focusId: p.id, hops: 1 }); select(p.id, false); });
    presets.appendChild(b);
  });
  var pathwaySelect = document.getElementById("pathway-select"), pathwayButton = document.getElementById("show-pathways");
  pathwaySelect.appendChild(el("option", "all pathways"));
  pathwaySelect.options[0].value = "";
  DATA.pathways.forEach(function (p) { var o = el("option", p.label); o.value = p.id; pathwaySelect.appendChild(o); });
  pathwaySelect.addEventListener("change", function () { go("pathways", { pathway: pathwaySelect.value }); });
  pathwayButton.addEventListener("click", function () { go("pathways", { pathway: pathwaySelect.value }); });
  if (!DATA.pathways.length) { pathwayButton.hidden = true; pathwaySelect.hidden = true; }
  // Printing (and a resize) changes the stage's size: fit the current view to it again.
  function fitCurrent() {
    if (state.view === "pathways") { drawFlows(); return; }
    network.setSize("100%", "100%");
    if (state.view === "all") network.fit({ animation: false });
    else fitTo(Array.from(shown.nodes), state.view === "overview" && OVERVIEW.columns.length > 0);
    network.redraw();
  }
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { if (state.view === "pathways") drawFlows(); }, 100);
  });
  window.addEventListener("beforeprint", fitCurrent);
  window.addEventListener("afterprint", fitCurrent);
  if (window.matchMedia) window.matchMedia("print").addEventListener("change", fitCurrent);

  if (pending) restore();
  else if (opening) {
    state.focus = opening.nodes;
    setPressed();
    updateStatus();
    fitTo(Array.from(opening.nodes), OVERVIEW.columns.length > 0);
  } else renderView();

  // A small read-only handle for tests and benchmarks.
  window.BCTO = {
    timings: timings,
    nodeCount: function () { return nodes.length; },
    ready: function () { return loadedAll; },
    visibleNodeIds: function () { return Array.from(shown.nodes).sort(); },
    visibleEdgeIds: function () { return Array.from(shown.edges).sort(); },
    selected: function () { return state.selected; },
    view: function () { return state.view; },
    domPosition: function (id) { return network.canvasToDOM(network.getPosition(id)); },
    drawn: function () { return JSON.parse(JSON.stringify(drawn)); },
    flowBoxes: function () { return flowLayout ? flowLayout.boxes : []; },
    svgText: currentSvgText,
    select: select,
    focus: function (id, hops) { go("focus", { focusId: id, hops: hops }); select(id, false); },
    showAll: function () { go("all"); },
    showPathways: function (id) { pathwaySelect.value = id || ""; go("pathways", { pathway: id || "" }); },
    network: network,
    direct: DIRECT
  };
})();
