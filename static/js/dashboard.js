// Dashboards: draw Chart.js charts from <script type="application/json"> data and sort tables.
// Every point's tooltip shows its numerator/denominator; clicking a point opens that month/area.
(function () {
  "use strict";
  const COLORS = ["#0b4f8a", "#e07b00", "#2e8b57", "#8e44ad", "#c0392b"];
  const nf = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 1 });

  function read(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function tooltipLabel(data) {
    return function (ctx) {
      const s = data.series[ctx.datasetIndex];
      const v = ctx.parsed.y;
      let text = s.label + ": " + (v === null || v === undefined ? "—" : nf.format(v) + (s.num ? " %" : ""));
      if (s.num && s.den) {
        text += " (" + nf.format(s.num[ctx.dataIndex]) + "/" + nf.format(s.den[ctx.dataIndex]) + ")";
      }
      return text;
    };
  }

  function draw(canvas) {
    const data = read(canvas.dataset.source);
    if (!data || typeof Chart === "undefined") return;
    const kind = canvas.dataset.chart;
    // A bar chart's box grows with its rows (set here: the CSP allows no style attributes).
    if (data.height && canvas.parentElement.classList.contains("chart-box")) {
      canvas.parentElement.style.height = data.height + "px";
    }
    const percent = data.series.some(function (s) { return s.num; });
    const chart = new Chart(canvas, {
      type: kind,
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) {
          return {
            label: s.label,
            data: s.values,
            borderColor: COLORS[i % COLORS.length],
            backgroundColor: COLORS[i % COLORS.length] + (kind === "bar" ? "cc" : "33"),
            spanGaps: true,
            // Straight segments: a smoothed curve of rates dips below 0 % and overshoots 100 %.
            tension: 0,
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: kind === "bar" && data.links ? "y" : "x",
        interaction: { mode: "nearest", intersect: false },
        scales: percent
          ? (kind === "bar" && data.links ? { x: { min: 0, max: 100 } } : { y: { min: 0, max: 100 } })
          : { y: { beginAtZero: true } },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: { callbacks: { label: tooltipLabel(data) } },
        },
        onClick: function (event, elements) {
          if (!elements.length) return;
          const i = elements[0].index;
          if (data.links && data.links[i]) {
            window.location.href = data.links[i];
          } else if (data.href && data.months) {
            window.location.href = data.href.replace(/month=[^&]*/, "month=" + data.months[i]);
          }
        },
      },
    });
    canvas.dataset.drawn = "1";
    return chart;
  }

  function sortTable(table, col, type, button) {
    const body = table.tBodies[0];
    const rows = Array.from(body.rows).filter(function (r) { return r.cells.length > col; });
    const th = button.closest("th");
    const asc = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    rows.sort(function (a, b) {
      const x = a.cells[col].dataset.sort || "";
      const y = b.cells[col].dataset.sort || "";
      if (type === "number") {
        // Empty values (no denominator) always sort last.
        if (x === "" || y === "") return (x === "") - (y === "");
        return asc ? x - y : y - x;
      }
      return asc ? x.localeCompare(y, "id") : y.localeCompare(x, "id");
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function init() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
    document.querySelectorAll("table[data-sortable]").forEach(function (table) {
      table.querySelectorAll("thead .sort-btn").forEach(function (button) {
        const col = button.closest("th").cellIndex;
        button.addEventListener("click", function () { sortTable(table, col, button.dataset.type, button); });
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
