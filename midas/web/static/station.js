// Station keyboard: a wedge scanner types the MRZ lines and Enter; shortcuts pick the decision.
(function () {
  "use strict";
  var scanForm = document.getElementById("scan-form");
  var scanBox = scanForm && scanForm.querySelector("[data-scan]");
  var decisionForm = document.getElementById("decision-form");
  // The words shown come from the page, in its language (base.html's #page-texts).
  var texts = document.getElementById("page-texts").dataset;

  // ICAO 9303 shapes: TD3 2x44, TD2/MRV-B 2x36, MRV-A 2x44, TD1 3x30.
  function lines(text) {
    return text.split(/\r?\n/).map(function (l) { return l.trim(); }).filter(Boolean);
  }
  function complete(text) {
    var ls = lines(text);
    var lengths = ls.map(function (l) { return l.length; });
    if (ls.length === 2) { return (lengths[0] === 44 && lengths[1] === 44) || (lengths[0] === 36 && lengths[1] === 36); }
    if (ls.length === 3) { return lengths.every(function (n) { return n === 30; }); }
    // Some scanners send everything on one line.
    if (ls.length === 1) { return [88, 72, 90].indexOf(lengths[0]) >= 0; }
    return false;
  }
  // True while the text is the start of an MRZ and a line break is the scanner's next step:
  // a whole first line of 44, 36 or 30, or two whole TD1 lines of 30.
  function waitsForALine(text) {
    var ls = lines(text);
    var lengths = ls.map(function (l) { return l.length; });
    if (ls.length === 1) { return [44, 36, 30].indexOf(lengths[0]) >= 0; }
    if (ls.length === 2) { return lengths[0] === 30 && lengths[1] === 30; }
    return false;
  }
  function oneLineToLines(text) {
    var t = text.trim();
    var width = { 88: 44, 72: 36, 90: 30 }[t.length];
    if (!width || t.indexOf("\n") >= 0) { return text; }
    var out = [];
    for (var i = 0; i < t.length; i += width) { out.push(t.slice(i, i + width)); }
    return out.join("\n");
  }
  function submitScan() {
    scanBox.value = oneLineToLines(scanBox.value.toUpperCase());
    scanForm.requestSubmit();
  }

  if (scanBox) {
    scanBox.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) {
        // Enter between the lines of an MRZ is a line break; any other Enter sends the box, so
        // text that cannot be read is answered with what is wrong instead of a silent newline.
        if (!waitsForALine(scanBox.value) || event.ctrlKey) {
          event.preventDefault();
          if (lines(scanBox.value).length) { submitScan(); }
        }
      }
    });
    scanBox.addEventListener("paste", function () {
      window.setTimeout(function () { if (complete(scanBox.value)) { submitScan(); } }, 0);
    });
  }

  function choose(value) {
    if (!decisionForm) { return; }
    var radio = decisionForm.querySelector('input[name="decision"][value="' + value + '"]');
    if (!radio) { return; }
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    var reason = document.getElementById("refusal_reason");
    var override = document.getElementById("override_reason");
    if (value === "refused" && reason) { reason.focus(); }
    else if (value === "admitted" && override) { override.focus(); }
    else { document.getElementById("record-button").focus(); }
  }
  function syncRefusal() {
    var block = document.getElementById("refusal-block");
    var refused = decisionForm.querySelector('input[name="decision"][value="refused"]');
    if (block && refused) { block.hidden = !refused.checked; }
  }

  if (decisionForm) {
    decisionForm.addEventListener("change", syncRefusal);
    syncRefusal();
    var firstError = decisionForm.querySelector('[aria-invalid="true"], .has-error input, .has-error select');
    var minor = decisionForm.querySelector('fieldset.minor input[type="radio"]:checked, fieldset.minor input[type="radio"]');
    var warned = document.getElementById("hit-banner") || document.getElementById("concerns");
    // Focus where the officer acts next: a field to fix, the minor's companion, the decision
    // itself when there is a warning (none may be preselected then), or Record.
    if (firstError) { firstError.focus(); }
    else if (minor) { minor.focus(); }
    else if (warned) {
      (decisionForm.querySelector('input[name="decision"]:checked') || decisionForm.querySelector('input[name="decision"]')).focus();
    }
    else { document.getElementById("record-button").focus(); }
    // A double Enter must not send twice (the client_id would make it harmless anyway).
    decisionForm.addEventListener("submit", function () {
      var button = document.getElementById("record-button");
      window.setTimeout(function () { button.disabled = true; button.textContent = texts.recording; }, 0);
    });
  }

  // The letter of an Alt shortcut: the key's Latin letter when the layout types one (AZERTY's
  // A is where QWERTY has Q), else the key at the US position (an Arabic layout types "ش" on
  // A, and macOS's Option+A types "å"): shortcuts are keys, whatever the page's language.
  var US_KEYS = { KeyA: "a", KeyR: "r", KeyS: "s", KeyN: "n" };
  function shortcutKey(event) {
    var key = (event.key || "").toLowerCase();
    return /^[a-z]$/.test(key) ? key : (US_KEYS[event.code] || key);
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey && !event.ctrlKey && !event.metaKey) {
      var key = shortcutKey(event);
      var value = { a: "admitted", r: "refused", s: "referred" }[key];
      if (value && decisionForm) { event.preventDefault(); choose(value); }
      if (key === "n") { event.preventDefault(); window.location.assign(scanForm ? scanForm.action.replace(/\/scan$/, "") : "/station"); }
    } else if (event.key === "Enter" && event.ctrlKey && decisionForm) {
      event.preventDefault();
      decisionForm.requestSubmit();
    } else if (event.key === "Escape" && decisionForm) {
      event.preventDefault();
      window.location.assign(document.getElementById("cancel-link").href);
    }
  });
})();

// Desk scanner: watch the desk's folder while waiting; read a dropped or chosen image at once.
(function () {
  "use strict";
  var scanner = document.getElementById("scanner-form");
  var imageForm = document.getElementById("image-form");
  var direction = document.getElementById("direction");
  // The words shown come from the page, in its language (base.html's #page-texts).
  var texts = document.getElementById("page-texts").dataset;
  function syncDirection(form) {
    var hidden = form.querySelector("[data-direction]");
    if (hidden && direction) { hidden.value = direction.value; }
  }
  if (scanner && !scanner.dataset.stuck && !document.getElementById("decision-form")) {
    var busy = false;
    var look = function () {
      if (busy) { return; }
      fetch(scanner.dataset.status, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (body) {
          if (body.waiting > 0 && !busy) {
            busy = true;
            document.getElementById("scanner-watch").textContent = texts.readingScan;
            syncDirection(scanner);
            scanner.requestSubmit();
          }
        })
        .catch(function () { /* the next look tries again */ });
    };
    window.setInterval(look, 1000);
    scanner.addEventListener("submit", function () { busy = true; syncDirection(scanner); });
  }
  if (imageForm) {
    var input = imageForm.querySelector('input[type="file"]');
    var card = document.getElementById("scanner-card") || imageForm;
    var send = function () { syncDirection(imageForm); imageForm.requestSubmit(); };
    input.addEventListener("change", function () { if (input.files.length) { send(); } });
    card.addEventListener("dragover", function (event) { event.preventDefault(); card.classList.add("dropping"); });
    card.addEventListener("dragleave", function () { card.classList.remove("dropping"); });
    card.addEventListener("drop", function (event) {
      event.preventDefault();
      card.classList.remove("dropping");
      if (event.dataTransfer && event.dataTransfer.files.length) { input.files = event.dataTransfer.files; send(); }
    });
    imageForm.addEventListener("submit", function () {
      var button = document.getElementById("image-button");
      window.setTimeout(function () { button.disabled = true; button.textContent = texts.reading; }, 0);
    });
  }
})();
