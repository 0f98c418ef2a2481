// Monthly report editor: htmx autosaves on the server; this keeps a copy on the device while a
// save is pending (closed tab, reload, dropped connection) and retries when the network is back.
(function () {
  "use strict";

  // Forms marked data-once submit once: a double click sends one request.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-once")) return;
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.classList.add("disabled"); b.setAttribute("aria-disabled", "true"); });
  });

  // htmx 2 does not swap a 4xx answer; a refused (stale) save answers 409 with a message to show.
  // (htmx 4, which static/vendor carries, swaps it by itself.)
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Event names and details differ between htmx 2 and htmx 4; listen to both.
  function on(el, names, fn) { names.forEach(function (n) { el.addEventListener(n, fn); }); }
  function statusOf(event) {
    var d = event.detail || {};
    if (d.xhr) return d.xhr.status;
    if (d.ctx && d.ctx.response) return d.ctx.response.status;
    return 0;
  }

  var form = document.getElementById("report-form");
  if (!form) return;
  var status = document.getElementById("save-status");
  var key = "blk-report-" + form.dataset.report;
  var pending = false;

  function versionInput() { return document.getElementById("id_version"); }
  function values() {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "version") data[name] = value;
    });
    return data;
  }
  function same(a, b) {
    return Object.keys(a).every(function (k) { return String(a[k]) === String(b[k] === undefined ? "" : b[k]); });
  }
  // What the server sent with the page (the HTML defaults), not what the browser may have restored.
  function serverValues() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "version" || el.type === "submit") return;
      if (el.tagName === "SELECT") {
        var chosen = Array.prototype.find.call(el.options, function (o) { return o.defaultSelected; });
        data[el.name] = chosen ? chosen.value : (el.options[0] ? el.options[0].value : "");
      } else {
        data[el.name] = el.defaultValue;
      }
    });
    return data;
  }
  var confirmed = serverValues(); // what the server has, as far as this page knows
  function afterHtmx(fn) {
    if (document.readyState === "complete") setTimeout(fn, 50);
    else window.addEventListener("load", function () { setTimeout(fn, 50); });
  }
  function backup() {
    if (same(values(), confirmed)) return;
    pending = true;
    try {
      localStorage.setItem(key, JSON.stringify({ version: versionInput().value, values: values(), at: Date.now() }));
    } catch (e) { /* private mode or full storage: the server save still runs */ }
  }
  function say(html, css) {
    status.innerHTML = '<span class="' + css + '">' + html + "</span>";
  }

  // Outline each field by what its message box (filled by the server) says: red for an error
  // (an unsaved value or a rule that blocks submission), amber for a warning.
  function markFields() {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !el.classList) return;
      var box = document.getElementById("id_" + el.name + "_error");
      if (!box) return;
      var bad = !!box.querySelector(".errorlist");
      el.classList.toggle("is-invalid", bad);
      el.classList.toggle("is-warning", !bad && !!box.querySelector(".rule-warning"));
      if (bad) el.setAttribute("aria-invalid", "true"); else el.removeAttribute("aria-invalid");
    });
  }
  markFields();
  // A value the server refused stays on this device (with the new version) until it is fixed, so a
  // reload shows it again with its message instead of silently reverting to the saved value.
  function keepRefused() {
    try {
      localStorage.setItem(key, JSON.stringify({ version: versionInput().value, values: values(), at: Date.now(), refused: true }));
    } catch (e) { /* ignore */ }
  }

  form.addEventListener("input", backup);
  form.addEventListener("change", backup);

  var sending = null;
  on(form, ["htmx:beforeRequest", "htmx:before:request"], function () {
    sending = values();
    if (!document.getElementById("save-error")) say("Menyimpan…", "text-body-secondary");
  });
  on(form, ["htmx:afterRequest", "htmx:after:request"], function (event) {
    var code = statusOf(event);
    if (code === 409) {
      // Refused as stale: keep the device copy so the typing can be restored after a reload.
      pending = false;
    } else if (code >= 200 && code < 300) {
      if (sending) confirmed = sending;
      var typedSince = !same(values(), confirmed);
      // Read the swapped-in answer (status, messages beside the fields) once htmx has placed it.
      setTimeout(function () {
        markFields();
        if (typedSince) return;
        pending = false;
        if (document.getElementById("save-invalid")) keepRefused();
        else { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }
      }, 0);
    } else if (code >= 400) {
      pending = true;
      say("Belum tersimpan: server tidak menjawab dengan benar. Akan dicoba lagi.", "text-danger");
    }
  });
  on(form, ["htmx:sendError", "htmx:error"], function () {
    pending = true;
    say("Belum tersimpan: koneksi terputus. Isian disimpan sementara di perangkat ini dan akan dikirim otomatis saat koneksi kembali.", "text-danger");
  });

  function retry() {
    if (pending && navigator.onLine !== false && !document.getElementById("save-error")) htmx.trigger(form, "retry");
  }
  window.addEventListener("online", retry);
  setInterval(retry, 15000);
  window.addEventListener("beforeunload", function (event) {
    if (pending) { event.preventDefault(); event.returnValue = ""; }
  });

  // After a reload or a closed tab: put back what was typed but never reached the server.
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
  if (saved && saved.values && same(saved.values, confirmed)) {
    localStorage.removeItem(key); // the server already has exactly this
    saved = null;
  }
  function apply(vals) {
    Object.keys(vals).forEach(function (name) {
      var input = form.elements[name];
      if (input && input.type !== "file" && input.value !== vals[name]) input.value = vals[name];
    });
  }
  if (saved && saved.values && String(saved.version) === versionInput().value) {
    apply(saved.values);
    pending = true;
    say("Isian yang belum tersimpan dipulihkan dari perangkat ini dan sedang disimpan…", "text-warning-emphasis");
    afterHtmx(function () { htmx.trigger(form, "retry"); });
  } else if (saved && saved.values) {
    // The report changed on the server since: never overwrite it silently. Offer the old typing.
    var box = document.createElement("div");
    box.className = "alert alert-warning py-2 mb-0";
    box.id = "restore-offer";
    box.innerHTML = "Ada isian dari sesi sebelumnya yang belum tersimpan, tetapi laporan ini sudah diubah sejak itu. " +
      '<button type="button" class="btn btn-sm btn-warning ms-1" id="restore-yes">Pulihkan isian saya</button> ' +
      '<button type="button" class="btn btn-sm btn-link" id="restore-no">Abaikan</button>';
    status.appendChild(box);
    document.getElementById("restore-yes").addEventListener("click", function () {
      apply(saved.values);
      box.remove();
      backup();
      htmx.trigger(form, "retry");
    });
    document.getElementById("restore-no").addEventListener("click", function () {
      localStorage.removeItem(key);
      box.remove();
    });
  } else if (!same(values(), confirmed)) {
    // The browser restored typing on its own (back/forward, reload): save it.
    backup();
    afterHtmx(function () { htmx.trigger(form, "retry"); });
  }
})();
