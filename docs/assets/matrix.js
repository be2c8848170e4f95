/*
 * Support matrix page: filter by family and status, free-text search, sortable columns,
 * and the view in the query string (?search=&family=&status=&sort=&dir=; not ?q=, which
 * mkdocs-material's own search reads and would open its search overlay) so it can be shared.
 * Plain JavaScript, no dependency. The table is complete without it (server-rendered).
 * Works with mkdocs-material's instant navigation: init runs on every document$ emission.
 */
(function () {
  "use strict";

  var NUMERIC = { status: true, coverage: true, parity: true };
  var DIRS = { asc: 1, desc: -1 };

  function splitList(value) {
    return value ? value.split(",").filter(Boolean) : [];
  }

  function readState(search, known) {
    var p = new URLSearchParams(search);
    var sort = p.get("sort") || "";
    var dir = p.get("dir") === "desc" ? "desc" : "asc";
    return {
      q: p.get("search") || "",
      family: splitList(p.get("family")).filter(function (f) { return known.family[f]; }),
      status: splitList(p.get("status")).filter(function (s) { return known.status[s]; }),
      sort: known.sort[sort] !== undefined ? sort : "",
      dir: dir
    };
  }

  function writeState(state) {
    var p = new URLSearchParams(window.location.search);
    ["search", "family", "status", "sort", "dir"].forEach(function (k) { p.delete(k); });
    if (state.q) p.set("search", state.q);
    if (state.family.length) p.set("family", state.family.join(","));
    if (state.status.length) p.set("status", state.status.join(","));
    if (state.sort) {
      p.set("sort", state.sort);
      if (state.dir === "desc") p.set("dir", "desc");
    }
    var qs = p.toString().replace(/%2C/g, ","); // family=a,b reads better than family=a%2Cb
    var url = window.location.pathname + (qs ? "?" + qs : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", url);
    }
  }

  function init() {
    var root = document.querySelector("[data-agno-matrix]");
    if (!root || root.getAttribute("data-agno-ready")) return;
    root.setAttribute("data-agno-ready", "1");

    var form = root.querySelector(".agno-matrix__controls");
    var table = root.querySelector("[data-agno-matrix-table]");
    var tbody = table.tBodies[0];
    var count = root.querySelector("[data-agno-count]");
    var total = tbody.rows.length;
    var search = form.elements.namedItem("search");
    var boxes = {
      family: form.querySelectorAll("input[name=family]"),
      status: form.querySelectorAll("input[name=status]")
    };
    var headers = table.tHead.rows[0].cells;
    // Lookup tables without a prototype: ?family=toString or ?sort=constructor are just unknown values.
    var known = { family: Object.create(null), status: Object.create(null), sort: Object.create(null) };
    Array.prototype.forEach.call(boxes.family, function (b) { known.family[b.value] = true; });
    Array.prototype.forEach.call(boxes.status, function (b) { known.status[b.value] = true; });
    Array.prototype.forEach.call(headers, function (th, i) {
      known.sort[th.querySelector("[data-sort]").getAttribute("data-sort")] = i;
    });

    // One record per row, computed once: filtering then touches only rows whose visibility changes.
    var rows = Array.prototype.map.call(tbody.rows, function (tr, index) {
      var cells = tr.cells;
      var keys = [];
      for (var c = 0; c < cells.length; c++) {
        var col = headers[c].querySelector("[data-sort]").getAttribute("data-sort");
        var raw = cells[c].getAttribute("data-key") || "";
        keys.push(NUMERIC[col] ? parseFloat(raw) : raw.toLowerCase());
      }
      // Searchable text: module title and id, Go package, notes.
      var text = [cells[1].textContent, cells[3].textContent, cells[6].textContent].join(" ").toLowerCase();
      return { tr: tr, family: tr.getAttribute("data-family"), status: tr.getAttribute("data-status"),
               text: text, keys: keys, index: index, shown: !tr.hidden };
    });

    var state = readState(window.location.search, known);
    var sortedBy = "";

    function filter() {
      var fam = Object.create(null), st = Object.create(null), nf = state.family.length, ns = state.status.length;
      state.family.forEach(function (f) { fam[f] = true; });
      state.status.forEach(function (s) { st[s] = true; });
      var terms = state.q.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i];
        var ok = (!nf || fam[r.family] === true) && (!ns || st[r.status] === true);
        for (var t = 0; ok && t < terms.length; t++) ok = r.text.indexOf(terms[t]) !== -1;
        if (ok !== r.shown) { r.tr.hidden = !ok; r.shown = ok; }
        if (ok) shown++;
      }
      count.firstChild.textContent = String(shown);
      count.lastChild.textContent = " of " + total + " module" + (total === 1 ? "" : "s") +
        (shown === 0 ? ": nothing matches; clear the filters to see every module" : "");
    }

    function sort() {
      var key = state.sort ? state.sort + ":" + state.dir : "";
      if (key === sortedBy) return;
      sortedBy = key;
      var col = state.sort ? known.sort[state.sort] : -1;
      var dir = DIRS[state.dir];
      var order = rows.slice();
      if (col >= 0) {
        order.sort(function (a, b) {
          var x = a.keys[col], y = b.keys[col];
          if (x < y) return -dir;
          if (x > y) return dir;
          return a.index - b.index;
        });
      }
      var frag = document.createDocumentFragment();
      order.forEach(function (r) { frag.appendChild(r.tr); });
      tbody.appendChild(frag);
      Array.prototype.forEach.call(headers, function (th, i) {
        if (i === col) th.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
        else th.removeAttribute("aria-sort");
      });
    }

    function syncForm() {
      search.value = state.q;
      ["family", "status"].forEach(function (name) {
        Array.prototype.forEach.call(boxes[name], function (b) { b.checked = state[name].indexOf(b.value) !== -1; });
      });
    }

    function readForm() {
      state.q = search.value.trim();
      ["family", "status"].forEach(function (name) {
        state[name] = Array.prototype.filter.call(boxes[name], function (b) { return b.checked; })
          .map(function (b) { return b.value; });
      });
    }

    function update() {
      filter();
      sort();
      writeState(state);
    }

    form.addEventListener("input", function () { readForm(); update(); });
    form.addEventListener("change", function () { readForm(); update(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () {
      // The form resets its fields after this event: read them once it has.
      window.setTimeout(function () { readForm(); state.sort = ""; state.dir = "asc"; update(); }, 0);
    });
    table.tHead.addEventListener("click", function (e) {
      var button = e.target.closest("[data-sort]");
      if (!button) return;
      var key = button.getAttribute("data-sort");
      state.dir = state.sort === key && state.dir === "asc" ? "desc" : "asc";
      state.sort = key;
      update();
    });

    syncForm();
    form.hidden = false;
    filter();
    sort();
  }

  if (typeof window.document$ !== "undefined" && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
