// Small shared behaviour. htmx does the rest.
document.addEventListener("click", function (event) {
  // Any element with data-confirm asks before it acts (destructive actions).
  const el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
});
