// "← Back" links step back in the browser's history (their href is the fallback when there is
// none). A file, not a link to inline script: the Content-Security-Policy runs none.
document.querySelectorAll("a[data-back]").forEach(function (link) {
  link.addEventListener("click", function (event) {
    if (window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
});
