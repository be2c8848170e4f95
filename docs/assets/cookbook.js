// Cookbook index: the "runs in Go" checkbox. Vanilla, no dependencies; works with instant loading.
(function () {
  "use strict";
  function setup(root) {
    if (root.dataset.agnoReady) return;
    root.dataset.agnoReady = "1";
    var box = root.querySelector("input[data-agno-go-only]");
    var count = root.querySelector("[data-agno-count]");
    var rows = root.querySelectorAll("tbody tr");
    var total = rows.length;
    function apply() {
      var only = box.checked, shown = 0;
      for (var i = 0; i < total; i++) {
        var hide = only && rows[i].getAttribute("data-go") !== "1";
        rows[i].hidden = hide;
        if (!hide) shown++;
      }
      count.textContent = shown + " of " + total + " recipes";
      var url = new URL(window.location.href);
      if (only) url.searchParams.set("go", "1"); else url.searchParams.delete("go");
      window.history.replaceState(null, "", url);
    }
    box.checked = new URL(window.location.href).searchParams.get("go") === "1";
    box.addEventListener("change", apply);
    apply();
  }
  function init() {
    document.querySelectorAll("[data-agno-cookbook]").forEach(setup);
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
