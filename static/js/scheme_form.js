// Ranking scheme form: live total of the weights (the server checks it again).
(function () {
  "use strict";
  const inputs = document.querySelectorAll("#scheme-form input[name^='weight_']");
  const out = document.getElementById("weights-total");
  if (!out) return;
  function update() {
    let total = 0;
    inputs.forEach(function (i) {
      const v = parseFloat((i.value || "0").replace(",", "."));
      if (!isNaN(v)) total += v;
    });
    out.textContent = total.toLocaleString("id-ID", { maximumFractionDigits: 2 });
  }
  inputs.forEach(function (i) { i.addEventListener("input", update); });
  update();
})();
