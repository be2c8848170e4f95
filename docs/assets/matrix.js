/*
 * The interactive lists. Plain JavaScript, no dependency; every list is complete without it.
 *
 * Paged tables ([data-agno-paged]: the support matrix, the cookbook index). The page is served
 * with the first page of rows in a live table and every row in a <noscript> copy (what a browser
 * without JavaScript shows; with JavaScript it stays unparsed text until a filter, a sort, another
 * page, print or idle time needs the rows). The form above the table filters them:
 *   - a search box (name=search): every word must appear in the row's text, or in the labels of
 *     its facet values (a module's family title, its status words);
 *   - facets: checkboxes and selects named after a row attribute (name=family filters on
 *     data-family); values checked in one facet are alternatives, facets combine. The count beside
 *     each value ([data-agno-facet], or an option's label) follows the other filters;
 *   - sortable columns (a header button with data-sort): on the cell's data-key, else its text.
 * Rows show data-page-size at a time: what the browser lays out per input is one page, however
 * long the list is. The view is in the query string (?search=&<facet>=a,b&sort=&dir=&page=; not
 * ?q=, which mkdocs-material's search reads), so it can be shared; printing shows every matching
 * row, in order.
 *
 * "Not yet in Go" ([data-agno-list]): family and search over the per-family tables of the page.
 * Each family's table shows its first data-page-size matching rows, with "show more" and "show
 * all" for the rest; a longer family is served like a paged table (first rows live, every row in
 * a <noscript> copy). The view (search, family) is in the query string; a link to a row
 * (#mod-<id>) shows as many of its family's rows as it takes; printing shows every matching row.
 *
 * Cost per input: every row's search text (lower case) and sort keys are read once, in idle time
 * after load; a sort order, once computed, is kept; rows that stay are not touched; so an input
 * is a scan of precomputed strings plus the style and layout of the rows that enter.
 *
 * Works with mkdocs-material's instant navigation: init runs on every document$ emission.
 */
(function () {
  "use strict";

  function splitList(value) {
    return value ? value.split(",").filter(Boolean) : [];
  }

  function terms(q) {
    return q.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function matchesAll(text, words) {
    for (var t = 0; t < words.length; t++) if (text.indexOf(words[t]) === -1) return false;
    return true;
  }

  function lookupOf(values) {
    // Without a prototype: ?family=toString or ?sort=constructor are just unknown values.
    var known = Object.create(null);
    values.forEach(function (v) { known[v] = true; });
    return known;
  }

  function setText(el, text) {
    if (el.textContent !== text) el.textContent = text;
  }

  // Words come from the page (data-agno-msg, written from the message catalogue in the page's
  // language); the script holds none of its own. A message missing from the page shows its key.
  function messages(root) {
    var raw = root.getAttribute("data-agno-msg"), out = null;
    try { out = JSON.parse(raw || "{}"); } catch (e) { out = {}; }
    return function (key) { return typeof out[key] === "string" ? out[key] : "[" + key + "]"; };
  }

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }

  // `template` filled into `el`, its {shown} as <strong> (the figure a count leads with).
  function fmtInto(el, template, values) {
    var key = template + "\u0000" + JSON.stringify(values);
    if (el.agnoText === key) return;
    el.agnoText = key;
    var frag = document.createDocumentFragment();
    template.split("{shown}").forEach(function (part, i) {
      if (i) {
        var strong = document.createElement("strong");
        strong.textContent = String(values.shown);
        frag.appendChild(strong);
      }
      if (part) frag.appendChild(document.createTextNode(fmt(part, values)));
    });
    el.textContent = "";
    el.appendChild(frag);
  }

  // State -> query string, written once the input has settled: history.replaceState is a
  // synchronous call into the browser that can cost more than the whole filter, so it never runs
  // between an input and its paint. Only the named keys are touched; other parameters stay. A
  // write that would land after the page was left (instant navigation) is dropped.
  function queryWriter(root, delay) {
    var timer = null, pending = null, path = window.location.pathname;
    function flush() {
      timer = null;
      var p = pending;
      pending = null;
      if (!p || !root.isConnected || window.location.pathname !== path) return;
      var q = new URLSearchParams(window.location.search);
      p.keys.forEach(function (k) { q.delete(k); });
      p.keys.forEach(function (k) { if (p.values[k]) q.set(k, p.values[k]); });
      var qs = q.toString().replace(/%2C/g, ","); // family=a,b reads better than family=a%2Cb
      var url = window.location.pathname + (qs ? "?" + qs : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, "", url);
      }
    }
    return function (keys, values) {
      pending = { keys: keys, values: values };
      if (timer !== null) window.clearTimeout(timer);
      timer = window.setTimeout(flush, delay);
    };
  }

  // Make `tbody` hold exactly the rows of `want`, in order, given that it holds `shown`: rows
  // leaving are removed, rows entering are inserted where they go, rows staying in the same order
  // are not touched (no style, layout or paint for them). Returns `want`.
  function showRows(tbody, shown, want) {
    var keep = new Set(), i;
    for (i = 0; i < want.length; i++) keep.add(want[i].tr);
    for (i = shown.length - 1; i >= 0; i--) {
      if (!keep.has(shown[i].tr) && shown[i].tr.parentNode === tbody) tbody.removeChild(shown[i].tr);
    }
    var cursor = tbody.firstChild;
    for (i = 0; i < want.length; i++) {
      var tr = want[i].tr;
      if (tr === cursor) cursor = cursor.nextSibling;
      else tbody.insertBefore(tr, cursor);
    }
    return want;
  }

  // --- paged tables ----------------------------------------------------------------------------

  // The facets of a form: one per name of its checkboxes and selects (the search box aside).
  function readFacets(form) {
    var facets = [], byName = Object.create(null);
    function facet(name) {
      if (!byName[name]) {
        byName[name] = { name: name, attr: "data-" + name, values: [], known: null, label: Object.create(null),
                         counter: Object.create(null), boxes: [], select: null };
        facets.push(byName[name]);
      }
      return byName[name];
    }
    Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox][name]"), function (b) {
      var f = facet(b.name), label = b.closest("label");
      f.boxes.push(b);
      f.values.push(b.value);
      var c = label ? label.querySelector("[data-agno-facet]") : null;
      if (c) f.counter[b.value] = c;
      f.label[b.value] = label ? label.textContent.replace(/\(\d+\)\s*$/, "").trim().toLowerCase() : "";
    });
    Array.prototype.forEach.call(form.querySelectorAll("select[name]"), function (s) {
      var f = facet(s.name);
      f.select = s;
      Array.prototype.forEach.call(s.options, function (o) {
        if (!o.value) return;
        f.values.push(o.value);
        f.counter[o.value] = o;
        f.label[o.value] = (o.getAttribute("data-label") || o.textContent).toLowerCase();
      });
    });
    facets.forEach(function (f) { f.known = lookupOf(f.values); });
    return facets;
  }

  function initPaged(root) {
    if (root.getAttribute("data-agno-ready")) return;

    var form = root.querySelector("form[data-agno-filters]");
    var table = root.querySelector("[data-agno-live-table]");
    var tbody = table.tBodies[0];
    var source = root.querySelector("noscript[data-agno-rows]");
    var count = root.querySelector("[data-agno-count]");
    var pager = root.querySelector("[data-agno-pager]");
    var pageSelect = pager.querySelector("[data-agno-page-select]");
    var pagesText = pager.querySelector("[data-agno-pages]");
    var prev = pager.querySelector("[data-agno-page=prev]");
    var next = pager.querySelector("[data-agno-page=next]");
    var size = parseInt(table.getAttribute("data-page-size"), 10) || 50;
    var total = parseInt(root.getAttribute("data-total"), 10) || 0;
    var nouns = (root.getAttribute("data-noun") || "row,rows").split(",");
    var msg = messages(root);
    var search = form.elements.namedItem("search");
    var facets = readFacets(form);
    var headers = table.tHead.rows[0].cells;
    var sortCol = Object.create(null), numeric = Object.create(null);
    Array.prototype.forEach.call(headers, function (th, i) {
      var b = th.querySelector("[data-sort]");
      if (!b) return;
      sortCol[b.getAttribute("data-sort")] = i;
      numeric[b.getAttribute("data-sort")] = b.hasAttribute("data-numeric");
    });
    var keys = ["search"].concat(facets.map(function (f) { return f.name; }), ["sort", "dir", "page"]);

    // Every row, parsed from the <noscript> copy on first need. Rows off the page are not in the
    // document at all. The served rows (the first rows of the copy, in the same order) stay where
    // they are, and take the copy's anchors.
    var rows = null;
    function loadRows() {
      if (rows !== null) return rows;
      // A page loaded by the browser keeps the copy as text; one swapped in by instant navigation
      // (parsed without scripting) holds it as elements.
      var full = source ? source.querySelector("tbody") : null;
      if (!full) {
        var tpl = document.createElement("template");
        tpl.innerHTML = source ? source.textContent : "";
        full = tpl.content.querySelector("tbody");
      }
      var parsed = full ? Array.prototype.slice.call(full.rows) : [];
      var live = tbody.rows, i;
      rows = new Array(parsed.length);
      for (i = 0; i < parsed.length; i++) {
        var tr = parsed[i];
        if (i < live.length) {  // a served row (the served rows are the copy's first rows): it stays
          if (tr.id) live[i].id = tr.id;
          tr = live[i];
        }
        var values = [];
        for (var f = 0; f < facets.length; f++) values.push(tr.getAttribute(facets[f].attr));
        rows[i] = { tr: tr, values: values, index: i, text: null, keys: [] };
      }
      total = rows.length;
      sorted = view = rows;
      root.setAttribute("data-agno-rows-ready", "1");
      return rows;
    }

    function text(r) {
      if (r.text === null) {
        var t = r.tr.textContent;
        for (var f = 0; f < facets.length; f++) t += " " + r.values[f] + " " + (facets[f].label[r.values[f]] || "");
        r.text = t.toLowerCase();
      }
      return r.text;
    }

    function key(r, col, name) {
      var k = r.keys[col];
      if (k === undefined) {
        var cell = r.tr.cells[col];
        var raw = cell.hasAttribute("data-key") ? cell.getAttribute("data-key") : cell.textContent.trim();
        k = r.keys[col] = numeric[name] ? parseFloat(raw) : raw.toLowerCase();
      }
      return k;
    }

    function readState(query) {
      var p = new URLSearchParams(query);
      var sort = p.get("sort") || "";
      var page = parseInt(p.get("page") || "1", 10);
      return {
        q: p.get("search") || "",
        picked: facets.map(function (f) {
          var vals = splitList(p.get(f.name)).filter(function (v) { return f.known[v]; });
          return f.select ? vals.slice(0, 1) : vals;
        }),
        sort: sortCol[sort] !== undefined ? sort : "",
        dir: p.get("dir") === "desc" ? "desc" : "asc",
        page: page > 0 ? page : 1
      };
    }

    var state = readState(window.location.search);
    var sorted = null;      // every row, in the current sort order
    var sortedBy = "";
    var view = null;        // the rows that match, in order
    var shown = [];         // the rows in the document, in order

    // Sort orders already computed, by "column:dir": going back to one costs nothing.
    var orders = Object.create(null);

    function resort() {
      var k = state.sort ? state.sort + ":" + state.dir : "";
      if (k === sortedBy) return false;
      sortedBy = k;
      var col = state.sort ? sortCol[state.sort] : -1;
      if (col < 0) {
        sorted = rows;
      } else if (orders[k]) {
        sorted = orders[k];
      } else {
        // Keys read once per row and column (key()), compared with < and > (code-point order,
        // the same in every browser; no collation per comparison); ties keep the served order.
        var dir = state.dir === "desc" ? -1 : 1, name = state.sort;
        sorted = orders[k] = rows.slice().sort(function (a, b) {
          var x = key(a, col, name), y = key(b, col, name);
          if (x < y) return -dir;
          if (x > y) return dir;
          return a.index - b.index;
        });
      }
      Array.prototype.forEach.call(headers, function (th, i) {
        if (i === col) th.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
        else th.removeAttribute("aria-sort");
      });
      return true;
    }

    function refilter() {
      var nf = facets.length, f, i;
      var want = [], counts = [];
      for (f = 0; f < nf; f++) {
        want.push(state.picked[f].length ? lookupOf(state.picked[f]) : null);
        counts.push(Object.create(null));
      }
      var words = terms(state.q);
      var ok = new Array(nf);
      var out = [];
      for (i = 0; i < sorted.length; i++) {
        var r = sorted[i], fails = 0, failed = -1;
        if (words.length && !matchesAll(text(r), words)) continue;
        for (f = 0; f < nf; f++) {
          ok[f] = want[f] === null || want[f][r.values[f]] === true;
          if (!ok[f]) { fails++; failed = f; }
        }
        // A facet value's count: the rows it would show with the other facets as they are.
        if (fails === 0) {
          for (f = 0; f < nf; f++) counts[f][r.values[f]] = (counts[f][r.values[f]] || 0) + 1;
          out.push(r);
        } else if (fails === 1) {
          counts[failed][r.values[failed]] = (counts[failed][r.values[failed]] || 0) + 1;
        }
      }
      view = out;
      for (f = 0; f < nf; f++) {
        var fc = facets[f];
        for (var v in fc.counter) {
          var n = counts[f][v] || 0, el = fc.counter[v];
          if (el.tagName === "OPTION") setText(el, (el.getAttribute("data-label") || v) + " (" + n + ")");
          else setText(el, "(" + n + ")");
        }
      }
      writeCount(view.length);
    }

    function writeCount(n) {
      fmtInto(count, msg(n === 0 ? "count_none" : "count"),
        { shown: n, total: total, noun: total === 1 ? nouns[0] : nouns[1] });
    }

    function pages() {
      return Math.max(1, Math.ceil((view === null ? total : view.length) / size));
    }

    function show(want) {
      shown = showRows(tbody, shown, want);
    }

    // The pager for `length` matching rows; returns where the current page starts.
    function renderPager(length) {
      var n = Math.max(1, Math.ceil(length / size));
      if (state.page > n) state.page = n;
      var start = (state.page - 1) * size;
      pager.hidden = length <= size;
      if (!pager.hidden) {
        if (pageSelect.options.length !== n) {
          var opts = document.createDocumentFragment();
          for (var p = 1; p <= n; p++) opts.appendChild(new Option(String(p), String(p)));
          pageSelect.textContent = "";
          pageSelect.appendChild(opts);
        }
        pageSelect.value = String(state.page);
        setText(pagesText, fmt(msg("pages"),
          { n: n, start: start + 1, end: Math.min(start + size, length), length: length }));
        prev.disabled = state.page <= 1;
        next.disabled = state.page >= n;
      }
      return start;
    }

    function renderPage() {
      var start = renderPager(view.length);
      show(view.slice(start, start + size));
    }

    var writeQuery = queryWriter(root, 250);

    function save() {
      var values = { search: state.q, sort: state.sort, dir: state.sort && state.dir === "desc" ? "desc" : "",
                     page: state.page > 1 ? String(state.page) : "" };
      facets.forEach(function (f, i) { values[f.name] = state.picked[i].join(","); });
      writeQuery(keys, values);
    }

    function update(refiltered) {
      loadRows();
      var resorted = resort();
      if (refiltered || resorted) refilter();
      renderPage();
      save();
    }

    function syncForm() {
      search.value = state.q;
      facets.forEach(function (f, i) {
        f.boxes.forEach(function (b) { b.checked = state.picked[i].indexOf(b.value) !== -1; });
        if (f.select) f.select.value = state.picked[i][0] || "";
      });
    }

    function readForm() {
      state.q = search.value.trim();
      state.picked = facets.map(function (f) {
        var vals = f.boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
        if (f.select && f.select.value) vals.push(f.select.value);
        return vals;
      });
      state.page = 1;
    }

    function goTo(page) {
      loadRows();
      // Read where the table starts before the rows change (layout is clean now, so this costs
      // nothing; after the change it would force a layout inside the handler). Changing rows never
      // moves the table's top, so the same figure scrolls it into view.
      var top = table.getBoundingClientRect().top;
      state.page = page;
      renderPage();
      save();
      if (top < 0) window.scrollBy(0, top);
    }

    // A link to a row (#module-tools.calculator): show the page that holds it, if it matches.
    function reveal() {
      var hash = decodeURIComponent(window.location.hash.slice(1)), prefix = root.getAttribute("data-anchor");
      if (!prefix || hash.indexOf(prefix) !== 0) return;
      loadRows();
      for (var i = 0; i < view.length; i++) {
        if (view[i].tr.id === hash) {
          state.page = Math.floor(i / size) + 1;
          renderPage();
          save();
          view[i].tr.scrollIntoView();
          return;
        }
      }
    }

    // Text fields report every keystroke as "input"; checkboxes and selects report "change".
    form.addEventListener("input", function (e) {
      if (e.target === search) { readForm(); update(true); }
    });
    form.addEventListener("change", function (e) {
      if (e.target !== search) { readForm(); update(true); }
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () {
      // The form resets its fields after this event: read them once it has.
      window.setTimeout(function () { readForm(); state.sort = ""; state.dir = "asc"; update(true); }, 0);
    });
    table.tHead.addEventListener("click", function (e) {
      var button = e.target.closest("[data-sort]");
      if (!button) return;
      var k = button.getAttribute("data-sort");
      state.dir = state.sort === k && state.dir === "asc" ? "desc" : "asc";
      state.sort = k;
      state.page = 1;
      update(false);
    });
    prev.addEventListener("click", function () { if (state.page > 1) goTo(state.page - 1); });
    next.addEventListener("click", function () { if (state.page < pages()) goTo(state.page + 1); });
    pageSelect.addEventListener("change", function () { goTo(parseInt(pageSelect.value, 10) || 1); });
    window.addEventListener("hashchange", function () { if (root.isConnected) reveal(); });

    // Print every matching row, in order; back to the page afterwards.
    var printing = false;
    window.addEventListener("beforeprint", function () {
      if (!root.isConnected) return;
      loadRows();
      printing = true;
      show(view.slice());
      pager.hidden = true;
    });
    window.addEventListener("afterprint", function () {
      if (!printing) return;
      printing = false;
      renderPage();
    });

    // The served rows are the first page of the unfiltered, unsorted view: while the URL asks for
    // nothing else, they stand as they are and the rest is parsed when the page is idle.
    shown = Array.prototype.map.call(tbody.rows, function (tr) { return { tr: tr }; });
    syncForm();
    root.setAttribute("data-agno-ready", "1");
    form.hidden = false;
    var plain = !state.q && !state.sort && state.page === 1 &&
      state.picked.every(function (p) { return p.length === 0; });
    if (plain) renderPager(total);
    else update(true);
    reveal();
    var idle = window.requestIdleCallback || function (fn) { return window.setTimeout(fn, 200); };
    idle(function () {
      if (!root.isConnected) return;
      if (rows === null) { loadRows(); resort(); refilter(); shown = view.slice(0, shown.length); }
      // Read every row's search text and sort keys too, so the first keystroke or sort does not
      // pay for them.
      for (var j = 0; j < rows.length; j++) {
        text(rows[j]);
        for (var name in sortCol) key(rows[j], sortCol[name], name);
      }
    });
  }

  // --- "Not yet in Go": family and search over the per-family tables --------------------------

  // Each family's table shows its first data-page-size matching rows ("show more" and "show all"
  // add the rest on request); a longer family is served with those rows live and every row in a
  // <noscript> copy, parsed like the paged tables' copy. What the browser lays out per keystroke
  // is at most a few rows per family, however long the list grows.
  function initList(root) {
    if (root.getAttribute("data-agno-ready")) return;
    var form = root.querySelector("form");
    var search = form.elements.namedItem("search");
    var family = form.elements.namedItem("family");
    var count = root.querySelector("[data-agno-count]");
    var size = parseInt(root.getAttribute("data-page-size"), 10) || Infinity;
    var msg = messages(root);
    var scope = root.parentNode;  // the family blocks follow the form in the page's content
    function part(attr, id) { return "[" + attr + "='" + CSS.escape(id) + "']"; }
    var groups = Array.prototype.map.call(scope.querySelectorAll("[data-agno-group]"), function (el) {
      var id = el.getAttribute("data-agno-group");
      var tbody = el.querySelector("table").tBodies[0];
      var more = el.querySelector("p[data-agno-more]");
      return {
        id: id, tbody: tbody,
        source: el.querySelector("noscript[data-agno-rows]"),
        total: parseInt(el.getAttribute("data-total"), 10) || tbody.rows.length,
        parts: scope.querySelectorAll(part("data-agno-group-part", id)),
        count: scope.querySelector(part("data-agno-group-count", id)),
        more: more,
        moreText: more ? more.querySelector("[data-agno-more-text]") : null,
        moreButton: more ? more.querySelector("[data-agno-more=more]") : null,
        allButton: more ? more.querySelector("[data-agno-more=all]") : null,
        rows: null,   // every row, parsed on first need
        view: null,   // the rows that match, in order (null: every row, none parsed yet)
        shown: Array.prototype.map.call(tbody.rows, function (tr) { return { tr: tr }; }),
        limit: size,
        on: true
      };
    });
    var total = groups.reduce(function (n, g) { return n + g.total; }, 0);
    var knownFamily = lookupOf(Array.prototype.map.call(family.options, function (o) { return o.value; }));
    var writeQuery = queryWriter(root, 250);
    var printing = false;

    // Every row of a family, with its search text (lower case, once). The served rows are the
    // copy's first rows, in the same order: they stay where they are and take the copy's anchors.
    function loadRows(g) {
      if (g.rows !== null) return g.rows;
      var full = null;
      if (g.source) {
        full = g.source.querySelector("tbody");
        if (!full) {
          var tpl = document.createElement("template");
          tpl.innerHTML = g.source.textContent;
          full = tpl.content.querySelector("tbody");
        }
      }
      var parsed = Array.prototype.slice.call((full || g.tbody).rows);
      var live = Array.prototype.slice.call(g.tbody.rows);
      g.rows = parsed.map(function (tr, i) {
        if (full && i < live.length) {
          if (tr.id) live[i].id = tr.id;
          tr = live[i];
        }
        return { tr: tr, text: (tr.textContent + " " + g.id).toLowerCase() };
      });
      return g.rows;
    }

    function filterGroup(g, words) {
      if (!words.length) {
        g.view = g.rows;  // null while nothing is parsed: every row, the served ones shown
        return g.total;
      }
      var rows = loadRows(g), out = [];
      for (var i = 0; i < rows.length; i++) if (matchesAll(rows[i].text, words)) out.push(rows[i]);
      g.view = out;
      return out.length;
    }

    // The group's table: its first g.limit matching rows (all of them while printing).
    function renderGroup(g, n) {
      var upto = printing ? n : Math.min(n, g.limit);
      if (g.view === null && upto > g.shown.length) g.view = loadRows(g);
      if (g.view !== null) g.shown = showRows(g.tbody, g.shown, g.view.slice(0, upto));
      if (!g.more) return;
      var left = n - upto;
      g.more.hidden = left <= 0 || printing;
      if (left > 0) {
        setText(g.moreText, fmt(msg("group_window"), { shown: upto, n: n }));
        setText(g.moreButton, fmt(msg("group_more"), { n: Math.min(size, left) }));
        setText(g.allButton, fmt(msg("group_all"), { n: n }));
        g.allButton.hidden = left <= size;
      }
    }

    function apply() {
      var words = terms(search.value), fam = family.value, shownAll = 0;
      groups.forEach(function (g) {
        var on = !fam || g.id === fam;
        var n = on ? filterGroup(g, words) : 0;
        if (on) renderGroup(g, n);
        var hide = n === 0;
        if (g.on !== !hide) {
          g.on = !hide;
          Array.prototype.forEach.call(g.parts, function (el) { el.hidden = hide; });
        }
        g.n = n;
        if (g.count) setText(g.count, n === g.total ? "" : fmt(msg("group_shown"), { n: n }));
        shownAll += n;
      });
      setText(count, fmt(msg(shownAll === total ? "list_all" : shownAll ? "list_some" : "list_none"),
        { shown: shownAll, total: total }));
      writeQuery(["search", "family"], { search: search.value.trim(), family: fam });
    }

    function showMore(g, all) {
      var before = g.shown.length;
      g.limit = all ? Infinity : g.limit + size;
      renderGroup(g, g.n);
      // The button pressed may be gone now: the keyboard goes on at the first row it showed.
      if (g.more.hidden || (all ? g.allButton : g.moreButton).hidden) {
        var first = g.shown[before], link = first ? first.tr.querySelector("a") : null;
        if (link) link.focus();
      }
    }

    // A link to a row (#mod-tools.shell): show as many rows of its family as it takes.
    function reveal() {
      var hash = decodeURIComponent(window.location.hash.slice(1));
      var el = hash.indexOf("mod-") === 0 ? document.getElementById(hash) : null;
      if (hash.indexOf("mod-") !== 0 || el && !el.closest("noscript")) return;  // not a row, or on screen
      for (var k = 0; k < groups.length; k++) {
        var g = groups[k];
        if (!g.source || !g.on) continue;
        loadRows(g);
        var view = g.view || g.rows;
        for (var i = 0; i < view.length; i++) {
          if (view[i].tr.id === hash) {
            g.limit = Math.max(g.limit, Math.ceil((i + 1) / size) * size);
            g.view = view;
            renderGroup(g, g.n);
            view[i].tr.scrollIntoView();
            return;
          }
        }
      }
    }

    groups.forEach(function (g) {
      if (!g.more) return;
      g.moreButton.addEventListener("click", function () { showMore(g, false); });
      g.allButton.addEventListener("click", function () { showMore(g, true); });
    });

    var p = new URLSearchParams(window.location.search);
    search.value = p.get("search") || "";
    family.value = knownFamily[p.get("family") || ""] ? p.get("family") : "";
    form.addEventListener("input", function () {
      groups.forEach(function (g) { g.limit = size; });
      apply();
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { groups.forEach(function (g) { g.limit = size; }); apply(); }, 0);
    });
    window.addEventListener("hashchange", function () { if (root.isConnected) reveal(); });
    window.addEventListener("beforeprint", function () {
      if (!root.isConnected) return;
      printing = true;
      apply();
    });
    window.addEventListener("afterprint", function () {
      if (!printing) return;
      printing = false;
      apply();
    });
    root.setAttribute("data-agno-ready", "1");
    form.hidden = false;
    apply();
    reveal();
    // Parse the families' copies while the page is idle, one family per idle period, so the
    // first keystroke does not pay for them.
    var idle = window.requestIdleCallback || function (fn) { return window.setTimeout(fn, 200); };
    var next = 0;
    idle(function parseNext() {
      if (!root.isConnected) return;
      if (next >= groups.length) { root.setAttribute("data-agno-rows-ready", "1"); return; }
      loadRows(groups[next++]);
      idle(parseNext);
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-agno-paged]"), initPaged);
    Array.prototype.forEach.call(document.querySelectorAll("[data-agno-list]"), initList);
  }

  if (typeof window.document$ !== "undefined" && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
