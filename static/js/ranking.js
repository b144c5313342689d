// The ranking's scores: one bar per ranked region, red list green, black list red, from json_script data.
(function () {
  "use strict";
  var canvas = document.getElementById("ranking-scores");
  var source = document.getElementById("ranking-scores-data");
  if (!canvas || !source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var styles = getComputedStyle(document.documentElement);
  var colours = {
    red: styles.getPropertyValue("--bs-success").trim() || "#198754",
    black: styles.getPropertyValue("--bs-danger").trim() || "#dc3545",
    "": styles.getPropertyValue("--bs-secondary").trim() || "#6c757d"
  };
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{ label: data.label, data: data.scores, backgroundColor: data.marks.map(function (mark) { return colours[mark]; }) }]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, max: 100 } },
      plugins: { legend: { display: false } }
    }
  });
})();
