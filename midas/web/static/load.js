// Watchlist load page: poll the load's status, show its stage and counts, then its report.
(function () {
  "use strict";
  var running = document.getElementById("load-running");
  if (!running) { return; }
  // The words shown come from the page, in its language (base.html's #page-texts).
  var texts = document.getElementById("page-texts").dataset;
  var stages = { reading: texts.stageReading, verifying: texts.stageVerifying,
    activating: texts.stageActivating, done: texts.stageFinishing, failed: texts.stageFinishing };
  var withPercent = function (text, percent) { return text.replace("{percent}", percent); };
  var el = function (id) { return document.getElementById(id); };
  var number = function (n) { return (n || 0).toLocaleString(); };
  var show = function (body) {
    el("load-seconds").textContent = Math.round(body.seconds);
    var p = body.progress;
    if (!p) { return; }
    el("load-stage").textContent = stages[p.stage] || texts.stageWorking;
    el("load-records").textContent = number(p.records);
    el("load-rejected").textContent = number(p.rejected);
    var bar = el("load-bar");
    if (body.percent !== null && body.percent !== undefined) {
      bar.max = 100; bar.value = body.percent; bar.textContent = body.percent + "%";
      bar.setAttribute("aria-valuetext", withPercent(texts.percentRead, body.percent));
      el("load-percent").textContent = " · " + withPercent(texts.percentOfFile, body.percent);
    }
  };
  // Poll faster than the page's own refresh, and show the report as soon as it is ready.
  var poll = function () {
    fetch(running.dataset.status, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (body) {
      if (body.state === "running") { show(body); window.setTimeout(poll, 500); }
      else { window.location.reload(); }
    }).catch(function () { window.setTimeout(poll, 1500); });
  };
  window.setTimeout(poll, 300);
})();
