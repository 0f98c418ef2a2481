// Small shared behaviour. htmx does the rest.
document.addEventListener("click", function (event) {
  // Any element with data-confirm asks before it acts (destructive actions).
  const el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
});

// A select with data-resets="<css selector>" empties the dependent fields when it changes, before
// htmx reads the form (capture phase runs first). E.g. a new province drops the old kabupaten/kota,
// whose options htmx then reloads for the new province.
document.addEventListener(
  "change",
  function (event) {
    const selector = event.target.dataset && event.target.dataset.resets;
    if (!selector) return;
    document.querySelectorAll(selector).forEach(function (dependent) {
      dependent.value = "";
    });
  },
  true
);
