// Put every form of the page through its states: each radio and checkbox chosen, each option of
// each select picked, every hidden part shown; return each state that is wider than the screen.
() => {
  const wide = [];
  const name = (el) => el.name || el.id || el.tagName.toLowerCase();
  const measure = (what) => {
    const width = document.documentElement.scrollWidth;
    if (width > window.innerWidth) wide.push(what + ": " + width + " px");
  };
  const changed = (el) => el.dispatchEvent(new Event("change", { bubbles: true }));
  for (const form of document.forms) {
    const label = "form " + (form.id || form.action);
    for (const input of form.querySelectorAll('input[type="radio"], input[type="checkbox"]')) {
      input.checked = true;
      changed(input);
      measure(label + ", " + name(input) + "=" + input.value);
    }
    for (const select of form.querySelectorAll("select")) {
      for (const option of select.options) {
        select.value = option.value;
        changed(select);
        measure(label + ", " + name(select) + "=" + option.value);
      }
    }
    for (const hidden of form.querySelectorAll("[hidden]")) hidden.hidden = false;
    for (const details of form.querySelectorAll("details")) details.open = true;
    measure(label + ", every part shown");
  }
  return wide;
}
