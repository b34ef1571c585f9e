// Forms: a page that comes back with errors puts the cursor in the first field in error, not in
// the field a form starts with (autofocus), so the officer fixes it without hunting for it.
(function () {
  "use strict";
  var invalid = document.querySelector(
    'main [aria-invalid="true"], main .has-error input:not([type="hidden"]), main .has-error select, main .has-error textarea'
  );
  if (invalid && document.activeElement !== invalid) { invalid.focus(); }
})();
