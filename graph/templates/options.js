/* The "Explore options" panel: what the sources say about each option for a condition and ticked facts.
   The same reading rules as bcto.ontology.options (met, not met, unknown, out of scope, weighed), offline,
   from the page's JSON. It informs; it ranks and recommends nothing. */
(function () {
  "use strict";
  var ALL = JSON.parse(document.getElementById("bcto-data").textContent);
  var D = ALL.options;
  var root = document.getElementById("options-panel");
  if (!D || !root) { return; }
  var SUPPORTED = D.groups[0], AGAINST = D.groups[1], BOTH = D.groups[2], MENTIONED = D.groups[3];

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function label(t) { return D.terms[t] ? D.terms[t].label : t; }
  function up(t) { return D.terms[t] ? D.terms[t].up : [t]; }
  function has(list, x) { return list.indexOf(x) >= 0; }
  function key(s) { return s.toLowerCase(); }
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  var factorValues = {};
  Object.keys(D.criteria).forEach(function (id) {
    var c = D.criteria[id];
    factorValues[c.factor] = (factorValues[c.factor] || []).concat(c.values);
  });
  function ofFactor(factor, term) {
    return (factorValues[factor] || []).some(function (v) { return has(up(term), v) || has(up(v), term); });
  }

  function interval(op, n) {
    return {"<": [null, false, n, false], "<=": [null, false, n, true], "=": [n, true, n, true],
            ">=": [n, true, null, false], ">": [n, false, null, false]}[op];
  }
  function inside(a, b) {
    var low = b[0] === null || (a[0] !== null && (a[0] > b[0] || (a[0] === b[0] && (b[1] || !a[1]))));
    var high = b[2] === null || (a[2] !== null && (a[2] < b[2] || (a[2] === b[2] && (b[3] || !a[3]))));
    return low && high;
  }
  function below(x, y) {
    if (x[2] === null || y[0] === null) { return false; }
    return x[2] < y[0] || (x[2] === y[0] && !(x[3] && y[1]));
  }

  function read(c, closure, facts) {
    var missing = c.scopeTerms.filter(function (t) { return !closure[t]; });
    if (missing.length) {
      return ["out of scope", "applies to " + c.scope + "; the situation does not include " + missing.map(label).join(", ")];
    }
    var factor = label(c.factor);
    if (c.direction === "considered") {
      var given = facts.filter(function (f) { return f.factor === c.factor || (f.term && !f.factor && ofFactor(c.factor, f.term)); });
      return ["weighed", "the choice depends on " + factor + (given.length ? "; given: " + given.map(function (f) { return f.text; }).join(", ") : ", which is not given")];
    }
    if (c.threshold) {
      var q = facts.filter(function (f) { return f.factor === c.factor && f.number !== null; })[0];
      var t = c.threshold;
      if (!q) { return ["unknown", factor + " not given (needs " + t.filter(Boolean).join(" ") + ")"]; }
      if (q.unit !== t[2]) { return ["unknown", "given in " + (q.unit || "a plain number") + "; the criterion counts in " + (t[2] || "a plain number")]; }
      var mine = interval(q.op, q.number), theirs = interval(t[0], Number(t[1]));
      if (inside(mine, theirs)) { return ["met", "given " + q.op + " " + q.number + " " + q.unit + ", within " + t.join(" ")]; }
      if (below(mine, theirs) || below(theirs, mine)) { return ["not met", "given " + q.op + " " + q.number + " " + q.unit + ", outside " + t.join(" ")]; }
      return ["unknown", "the given number may or may not be " + t.join(" ")];
    }
    var wanted = c.values.map(label).join(" or ");
    var named = facts.filter(function (f) { return f.term && (f.factor === c.factor || (!f.factor && ofFactor(c.factor, f.term))); });
    var i;
    for (i = 0; i < named.length; i++) {
      if (c.values.some(function (v) { return has(up(named[i].term), v); })) { return ["met", "given: " + label(named[i].term)]; }
    }
    for (i = 0; i < named.length; i++) {
      var term = named[i].term;
      if (!c.values.some(function (v) { return has(up(v), term); })) { return ["not met", label(term) + " is not " + wanted]; }
    }
    if (named.length) { return ["unknown", named.map(function (f) { return label(f.term); }).join(", ") + " is broader than " + wanted]; }
    return ["unknown", factor + " not given (met by " + wanted + ")"];
  }

  // ---------------------------------------------------------------- the form
  var intro = el("p", D.notice, {"class": "options-notice", role: "note"});
  var pick = el("select", null, {id: "options-condition", "aria-label": "Condition or tumour type"});
  pick.appendChild(el("option", "Choose a condition or tumour type…", {value: ""}));
  D.conditions.forEach(function (id) { pick.appendChild(el("option", label(id), {value: id})); });
  var form = el("div", null, {"class": "options-facts", style: "display:flex;flex-wrap:wrap;gap:.3em;margin:.5em 0"});
  function box(term, group) {
    var id = "opt-" + group + "-" + term;
    var wrap = el("label", null, {"for": id});
    var input = el("input", null, {type: "checkbox", id: id, "data-term": term});
    wrap.appendChild(input);
    wrap.appendChild(document.createTextNode(" " + label(term)));
    return wrap;
  }
  D.factors.forEach(function (f) {
    var set = el("fieldset", null, {"data-factor": f.id, style: "margin:0;padding:.1em .5em;font-size:.85em"});
    set.appendChild(el("legend", label(f.id)));
    f.values.forEach(function (v) { set.appendChild(box(v, f.id)); });
    if (f.unit !== null) {
      var n = el("input", null, {type: "number", step: "any", "data-quantity": f.id, "aria-label": label(f.id) + " (" + (f.unit || "count") + ")"});
      var wrap = el("label", " number" + (f.unit ? " (" + f.unit + ")" : " (count)") + ": ");
      wrap.appendChild(n);
      set.appendChild(wrap);
    }
    form.appendChild(set);
  });
  var scope = el("fieldset", null, {"data-factor": "", style: "margin:0;padding:.1em .5em;font-size:.85em"});
  scope.appendChild(el("legend", "Also part of the situation (sites, treatments already given, tumour kinds)"));
  D.scopeTerms.forEach(function (t) { scope.appendChild(box(t, "scope")); });
  form.appendChild(scope);
  var results = el("div", null, {id: "options-results", "aria-live": "polite", style: "font-size:.9em"});
  root.appendChild(intro);
  root.appendChild(pick);
  root.appendChild(form);
  root.appendChild(results);

  function situation() {
    var cond = pick.value;
    var facts = [{text: label(cond), term: cond, factor: "", number: null}];
    var seen = {};
    form.querySelectorAll("input[data-term]").forEach(function (i) {
      if (i.checked && !seen[i.getAttribute("data-term")]) {
        seen[i.getAttribute("data-term")] = true;
        facts.push({text: label(i.getAttribute("data-term")), term: i.getAttribute("data-term"), factor: "", number: null});
      }
    });
    form.querySelectorAll("input[data-quantity]").forEach(function (i) {
      if (i.value !== "" && isFinite(Number(i.value))) {
        var f = D.factors.filter(function (x) { return x.id === i.getAttribute("data-quantity"); })[0];
        facts.push({text: label(f.id) + " = " + i.value, term: "", factor: f.id, op: "=", number: Number(i.value), unit: f.unit || ""});
      }
    });
    var closure = {};
    facts.forEach(function (f) { if (f.term) { up(f.term).forEach(function (t) { closure[t] = true; }); } });
    return {condition: cond, facts: facts, closure: closure};
  }

  function answer() {
    var s = situation();
    if (!s.condition) { return []; }
    var ids = Object.keys(D.criteria).sort();
    var rows = [], seen = {};  // activities connected to the condition, then to any ticked condition (as bcto options does)
    var roots = [s.condition].concat(s.facts.slice(1).map(function (f) { return f.term; }).filter(function (t) {
      return t && t !== s.condition && D.connections[t];
    }).sort());
    roots.forEach(function (r) {
      (D.connections[r] || []).forEach(function (row) { if (!seen[row[0]]) { seen[row[0]] = true; rows.push(row); } });
    });
    return rows.map(function (row) {
      var activity = row[0];
      var readings = ids.filter(function (id) { return has(up(activity), D.criteria[id].activity); }).map(function (id) {
        var c = D.criteria[id], r = read(c, s.closure, s.facts);
        return {id: id, c: c, status: r[0], reason: r[1], direct: c.activity === activity};
      });
      readings.sort(function (a, b) { return cmp(a.direct ? 0 : 1, b.direct ? 0 : 1) || cmp(key(a.c.label), key(b.c.label)) || cmp(a.id, b.id); });
      var dirs = {};
      readings.forEach(function (r) { if (r.status === "met" && r.direct) { dirs[r.c.direction] = true; } });
      var group = dirs["for"] && dirs.against ? BOTH : dirs["for"] ? SUPPORTED : dirs.against ? AGAINST : MENTIONED;
      return {activity: activity, path: row[1], readings: readings, group: group};
    }).sort(function (a, b) {
      return cmp(D.groups.indexOf(a.group), D.groups.indexOf(b.group)) || cmp(key(label(a.activity)), key(label(b.activity))) || cmp(a.activity, b.activity);
    });
  }

  function termLink(id) {
    var a = el("a", label(id), {href: "#" + encodeURIComponent(id), "data-term": id});
    a.addEventListener("click", function () { if (window.BCTO && window.BCTO.select) { window.BCTO.select(id, true); } });
    return a;
  }

  function render() {
    results.textContent = "";
    var options = answer();
    if (!pick.value) { return; }
    D.groups.forEach(function (g) {
      var mine = options.filter(function (o) { return o.group === g; });
      results.appendChild(el("h3", g + " (" + mine.length + ")"));
      var list = el("ul", null, {"class": "options-group"});
      mine.forEach(function (o) {
        var item = el("li", null, {"data-activity": o.activity, "data-group": o.group});
        item.appendChild(termLink(o.activity));
        item.appendChild(el("span", " — " + o.path, {"class": "options-path"}));
        var lines = el("ul");
        if (!o.readings.length) { lines.appendChild(el("li", "No criterion in the sources bears on it.")); }
        o.readings.forEach(function (r) {
          var line = el("li", null, {"data-criterion": r.id, "data-status": r.status});
          line.appendChild(el("strong", "[" + r.status + "] "));
          line.appendChild(document.createTextNode(r.c.label + (r.direct ? "" : " (said of " + label(r.c.activity) + ")") +
            " — " + r.c.direction + ", “" + r.c.strength + "”" + (r.c.frequency ? ", " + r.c.frequency : "") +
            (r.c.scope ? "; scope: " + r.c.scope : "") + ". " + r.reason + ". Source: "));
          r.c.sources.forEach(function (src, i) {  // each document named once: "Document: Section, sentence N; sentence M"
            var again = i > 0 && r.c.sources[i - 1][0] === src[0];
            if (i) { line.appendChild(document.createTextNode(again ? "; " : " | ")); }
            var text = again ? src[1] : src[0] + ": " + src[1];
            line.appendChild(src[2] ? el("a", text, {href: src[2], rel: "noreferrer"}) : el("span", text));
          });
          lines.appendChild(line);
        });
        item.appendChild(lines);
        list.appendChild(item);
      });
      results.appendChild(list);
    });
  }
  pick.addEventListener("change", render);
  form.addEventListener("change", render);
  form.addEventListener("input", render);
  window.BCTO_OPTIONS = {render: render};
})();
