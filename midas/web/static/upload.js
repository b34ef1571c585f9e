// Watchlist upload: show the upload's progress, then poll the load until its report is ready.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  // The words shown come from the page, in its language (base.html's #page-texts).
  var texts = document.getElementById("page-texts").dataset;
  if (form) {
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !form.querySelector('input[type="file"]').files.length) { return; }
      event.preventDefault();
      var box = document.getElementById("upload-progress"), bar = document.getElementById("upload-bar");
      var label = document.getElementById("upload-label"), button = document.getElementById("upload-button");
      box.hidden = false; button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("X-Requested-With", "fetch");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); } };
      xhr.upload.onload = function () { label.textContent = texts.uploaded; bar.removeAttribute("value"); };
      xhr.onload = function () {
        var type = xhr.getResponseHeader("Content-Type") || "";
        if (xhr.status === 200 && type.indexOf("application/json") === 0) {
          window.location.assign(JSON.parse(xhr.responseText).location);
        } else {
          // The form came back with errors next to its fields: show that page.
          document.open(); document.write(xhr.responseText); document.close();
        }
      };
      xhr.onerror = function () { label.textContent = texts.uploadFailed; button.disabled = false; };
      xhr.send(new FormData(form));
    });
  }
  var running = document.getElementById("load-running");
  if (running) {
    // Poll faster than the page's own refresh, and show the report as soon as it is ready.
    var seconds = document.getElementById("load-seconds");
    var poll = function () {
      fetch(running.dataset.status, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (body) {
        if (body.state === "running") { seconds.textContent = Math.round(body.seconds); window.setTimeout(poll, 500); }
        else { window.location.reload(); }
      }).catch(function () { window.setTimeout(poll, 1500); });
    };
    window.setTimeout(poll, 300);
  }
})();
