// Tenant detail: omzet (line, left axis, Rp) and workers (steps, right axis) per recorded month.
// Data comes from the page as JSON (json_script), so this file holds no figures of its own.
(function () {
  "use strict";
  var dataEl = document.getElementById("tenant-chart-data");
  var canvas = document.getElementById("tenant-chart");
  if (!dataEl || !canvas || !window.Chart) return;
  var d = JSON.parse(dataEl.textContent);
  var rp = new Intl.NumberFormat("id-ID", { notation: "compact", maximumFractionDigits: 1 });
  var full = new Intl.NumberFormat("id-ID");
  var baselineOmzet = d.labels.map(function () { return d.baseline_omzet; });
  var chart = new window.Chart(canvas, {
    type: "line",
    data: {
      labels: d.labels,
      datasets: [
        {
          label: d.labels_omzet,
          data: d.omzet,
          yAxisID: "y",
          borderColor: "#0b4f8a",
          backgroundColor: "rgba(11, 79, 138, 0.12)",
          fill: true,
          tension: 0.2,
          pointRadius: 3,
        },
        {
          label: d.labels_omzet + " (" + d.labels_baseline + ")",
          data: baselineOmzet,
          yAxisID: "y",
          borderColor: "#6c757d",
          borderDash: [4, 4],
          pointRadius: 0,
          fill: false,
        },
        {
          label: d.labels_workers,
          data: d.workers,
          yAxisID: "y1",
          borderColor: "#198754",
          backgroundColor: "#198754",
          stepped: true,
          pointRadius: 3,
          fill: false,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: function (ctx) {
              var v = ctx.parsed.y;
              return ctx.dataset.label + ": " + (ctx.dataset.yAxisID === "y" ? "Rp " + full.format(v) : v);
            },
          },
        },
      },
      scales: {
        y: { position: "left", beginAtZero: true, ticks: { callback: function (v) { return rp.format(v); } } },
        y1: {
          position: "right",
          beginAtZero: true,
          suggestedMax: Math.max.apply(null, d.workers.concat([d.baseline_workers])) + 1,
          grid: { drawOnChartArea: false },
          ticks: { precision: 0 },
        },
      },
    },
  });
  canvas.dataset.ready = "1";
  canvas.dataset.points = String(chart.data.labels.length);
})();
