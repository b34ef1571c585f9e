// Dashboard: fetch counts from the statistics API and draw them with the vendored Chart.js.
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root || !window.Chart) { return; }
  var api = root.dataset.api, from = root.dataset.from, to = root.dataset.to;
  // The words shown come from the page, in its language; codes stay codes in the requests.
  var texts = JSON.parse(root.dataset.texts);
  var lang = document.documentElement.lang || undefined;
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (whole, name) { return name in values ? String(values[name]) : whole; });
  }
  function number(n) { return (n || 0).toLocaleString(lang); }
  var palette = ["#1f5a96", "#e07b00", "#0b6b3a", "#a4161a", "#6b46c1", "#0e7490", "#8a4b00", "#64748b", "#be185d", "#4d7c0f"];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#1b2430";
  Chart.defaults.animation = false;

  function get(measure, group) {
    var url = api + "?measure=" + measure + "&group_by=" + encodeURIComponent(group) + "&from=" + from + "&to=" + to;
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.ok) { return r.json(); }
        // Say why, in the API's words, instead of only that it failed.
        return r.json().catch(function () { return {}; }).then(function (body) {
          throw new Error(body.message || fill(texts.server_answered, { status: r.status }));
        });
      });
  }
  // A code's words for its dimension (a decision, a sex, a state), else the value itself.
  function label(v, dim) {
    if (v === null || v === undefined || v === "" || v === "unknown") { return texts.unknown; }
    var known = texts.labels[dim];
    return known && Object.prototype.hasOwnProperty.call(known, v) ? known[v] : String(v);
  }
  // Rows keyed by two dimensions -> labels of the first, one dataset per value of the second.
  function pivot(rows, a, b, limit) {
    var totals = {}, series = {};
    rows.forEach(function (r) {
      var x = label(r[a], a), s = b ? label(r[b], b) : texts.count;
      totals[x] = (totals[x] || 0) + r.count;
      series[s] = series[s] || {};
      series[s][x] = (series[s][x] || 0) + r.count;
    });
    var labels = Object.keys(totals);
    if (limit) { labels.sort(function (p, q) { return totals[q] - totals[p]; }); labels = labels.slice(0, limit); }
    else { labels.sort(); }
    var datasets = Object.keys(series).sort().map(function (s, i) {
      return { label: s, data: labels.map(function (x) { return series[s][x] || 0; }), backgroundColor: palette[i % palette.length], borderColor: palette[i % palette.length] };
    });
    return { labels: labels, datasets: datasets };
  }
  function draw(id, data, options) {
    var canvas = document.getElementById(id);
    if (!data.labels.length) { canvas.hidden = true; canvas.parentNode.querySelector(".empty").hidden = false; return; }
    new Chart(canvas, { type: options.type || "bar", data: data, options: Object.assign({
      responsive: true, maintainAspectRatio: false,
      // A chart of two dimensions says what its colours are even when one value is present.
      plugins: { legend: { display: data.datasets.length > 1 || options.legend === true, position: "bottom" } },
      scales: { x: { stacked: !!options.stacked }, y: { stacked: !!options.stacked, beginAtZero: true, ticks: { precision: 0 } } }
    }, options.extra || {}) });
  }
  function fail(id, error) {
    var c = document.getElementById(id); c.hidden = true;
    var p = c.parentNode.querySelector(".empty");
    var why = error && error.message ? error.message : "";
    p.textContent = why ? fill(texts.failed_because, { why: why.charAt(0).toLowerCase() + why.slice(1).replace(/\.$/, "") }) : texts.failed;
    p.hidden = false;
  }
  function chart(id, opts) {
    return function () {
      var canvas = document.getElementById(id), dims = canvas.dataset.group.split(",");
      return get(canvas.dataset.measure, canvas.dataset.group)
        .then(function (body) { draw(id, pivot(body.rows, dims[0], dims[1], opts.limit), Object.assign({ legend: dims.length > 1 }, opts)); })
        .catch(function (error) { fail(id, error); });
    };
  }
  function kpis() {
    return get("crossings", "decision").then(function (body) {
      var by = {}; body.rows.forEach(function (r) { by[r.decision] = r.count; });
      document.getElementById("kpi-crossings").textContent = number(body.total);
      document.getElementById("kpi-refused").textContent = number(by.refused);
      document.getElementById("kpi-referred").textContent = number(by.referred);
    }).catch(function () {});
  }
  function hitKpi() {
    return get("hits", "hit_status").then(function (body) {
      var pending = 0; body.rows.forEach(function (r) { if (r.hit_status === "pending") { pending = r.count; } });
      document.getElementById("kpi-hits").textContent = pending ? fill(texts.with_pending, { total: number(body.total), pending: number(pending) }) : number(body.total);
    }).catch(function () {});
  }
  // One request at a time: each is an audited read, and a post's server may be small.
  [kpis, hitKpi, chart("c-time", { type: "bar", stacked: true }),
   chart("c-post", { stacked: true, extra: { indexAxis: "y" } }), chart("c-nationality", { limit: 10 }),
   chart("c-agesex", {}), chart("c-refusals", {}), chart("c-hits", { stacked: true }),
   chart("c-chip", { stacked: true })]
    .reduce(function (done, next) { return done.then(next); }, Promise.resolve())
    .then(function () { root.dataset.ready = "1"; });
})();
