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

// No inline event handlers (the Content-Security-Policy forbids them): behaviour hangs on data-*.
// A select with data-autosubmit submits its form when it changes (the language switch).
document.addEventListener("change", function (event) {
  if (event.target.matches && event.target.matches("select[data-autosubmit]") && event.target.form) {
    event.target.form.submit();
  }
});

// A button with data-copy="<css selector>" copies that field's value and shows data-copied.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  if (navigator.clipboard) navigator.clipboard.writeText(field.value).catch(function () {});
  field.select();
  if (button.dataset.copied) button.textContent = button.dataset.copied;
});
