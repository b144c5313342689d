// The dashboard's monthly trend: hazards found and closed, from the data the page embeds with json_script.
(function () {
  "use strict";
  var canvas = document.getElementById("dashboard-trend");
  var source = document.getElementById("dashboard-trend-data");
  if (!canvas || !source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var styles = getComputedStyle(document.documentElement);
  var primary = styles.getPropertyValue("--bs-primary").trim() || "#0d6efd";
  var success = styles.getPropertyValue("--bs-success").trim() || "#198754";
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: data.found_label, data: data.found, backgroundColor: primary },
        { type: "line", label: data.closed_label, data: data.closed, borderColor: success, backgroundColor: success, tension: 0.2 }
      ]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
