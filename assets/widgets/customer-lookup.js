/* The customer lookup (analysis/report/customer_lookup.py): turns the page's empty table into a
   DataTables table with itables' ITable class, and adds the id box, the segment filter and
   the sentence shown when nobody matches. The DataTables bundle (assets/vendor/datatables.js,
   written by analysis.report.publish from the pinned itables) is served by the site and loaded
   relative to the site root given by the quarto:offset meta tag, as the Vega bundle is. */
(function () {
  "use strict";

  function siteRoot() {
    var meta = document.querySelector('meta[name="quarto:offset"]');
    return meta ? meta.getAttribute("content") : "./";
  }

  /* A promise of the DataTables module; the bundle script publishes it as window[global]. */
  function loadBundle(bundle) {
    if (window[bundle.global]) return window[bundle.global];
    if (window.oneclickDataTablesLoading) return window.oneclickDataTablesLoading;
    window.oneclickDataTablesLoading = new Promise(function (resolve, reject) {
      var root = siteRoot();
      var style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = root + bundle.css;
      document.head.appendChild(style);
      var script = document.createElement("script");
      script.src = root + bundle.script;
      script.onload = function () {
        if (window[bundle.global]) window[bundle.global].then(resolve, reject);
        else reject(new Error(script.src + " did not define " + bundle.global));
      };
      script.onerror = function () { reject(new Error("DataTables bundle not found at " + script.src)); };
      document.head.appendChild(script);
    });
    return window.oneclickDataTablesLoading;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function start(root) {
    var config = JSON.parse(root.querySelector("script.lookup-config").textContent);
    // itables' ITable takes the rows as JSON text (data_json), as the page holds them.
    config.table.data_json = root.querySelector("script.lookup-data").textContent;
    var columns = config.columns, messages = config.messages;
    var box = root.querySelector("input.lookup-id"), segment = root.querySelector("select.lookup-segment");
    var status = root.querySelector(".lookup-status");
    // Built here, not written in the page: Quarto would turn a raw HTML <table> into its own.
    var table = document.createElement("table");
    table.className = "lookup-table";
    root.querySelector(".lookup-table-box").appendChild(table);
    var segments = {};
    config.segments.forEach(function (choice) { segments[choice.key] = choice; });
    var query = "", chosen = "";

    function inSegment(row) {
      if (!chosen) return true;
      return segments[chosen].hunters ? Number(row[columns.promo_hunter]) === 1
                                      : row[columns.segment] === chosen;
    }
    function idMatches(row) {
      return !query || String(row[columns.id]).indexOf(query) !== -1;
    }

    /* The sentence for what is shown: empty while anyone is; else why nobody is. */
    function explain(dt) {
      var shown = dt.rows({search: "applied"}).count();
      if (shown > 0) return "";
      var rows = dt.rows().data().toArray();
      var label = chosen ? segments[chosen].label : "";
      if (!query) return fill(messages.empty_segment, {segment: label});
      if (!/^\d+$/.test(query)) return fill(messages.not_digits, {id: query});
      if (Object.prototype.hasOwnProperty.call(config.excluded, query)) {
        return fill(messages.excluded, {id: query, reason: config.excluded[query]});
      }
      var elsewhere = rows.filter(idMatches).length;
      if (elsewhere === 0) return fill(messages.unknown, {id: query});
      return fill(messages.other_segment, {id: query, segment: label, elsewhere: elsewhere});
    }

    loadBundle(config.bundle).then(function (module) {
      var itable = new module.ITable(table, config.table);
      var dt = itable.dt;
      dt.search.fixed("lookup", function (searchText, row) { return idMatches(row) && inSegment(row); });
      function apply() {
        query = box.value.trim();
        chosen = segment.value;
        dt.draw();
        status.textContent = explain(dt);
        root.setAttribute("data-shown", dt.rows({search: "applied"}).count());
      }
      box.addEventListener("input", apply);
      segment.addEventListener("change", apply);
      apply();
      root.setAttribute("data-ready", "");  // tests wait for it
    }).catch(function (error) {
      status.textContent = "Не удалось построить таблицу: " + error;
      console.error(error);
    });
  }

  document.querySelectorAll(".customer-lookup:not([data-started])").forEach(function (root) {
    root.setAttribute("data-started", "");
    start(root);
  });
})();
