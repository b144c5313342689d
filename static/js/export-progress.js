// The status page of a background export: polls its status.json every 2 s, moves the progress bar, and shows
// the download link once the file is ready. The messages come translated from the server.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || !window.fetch) {
    return;
  }
  var bar = box.querySelector("[data-export-bar]");
  var fill = bar.querySelector(".progress-bar");
  var message = box.querySelector("[data-export-message]");
  var download = box.querySelector("[data-export-download]");
  var INTERVAL = 2000;

  function show(status) {
    box.setAttribute("data-state", status.state);
    bar.setAttribute("aria-valuenow", String(status.percent));
    fill.style.width = status.percent + "%";
    fill.textContent = status.percent + "%";
    message.textContent = status.message;
    if (status.state === "done" || status.state === "failed") {
      fill.classList.remove("progress-bar-striped", "progress-bar-animated");
    }
    if (status.state === "failed") {
      fill.classList.add("bg-danger");
    }
    if (status.download_url) {
      download.href = status.download_url;
      download.classList.remove("d-none");
    }
  }

  function poll() {
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.state !== "done" && status.state !== "failed") {
          window.setTimeout(poll, INTERVAL);
        }
      })
      .catch(function (error) {
        // Gone (the result expired): nothing more to follow. Else a network hiccup: try again a little later.
        if (error.message !== "404") {
          window.setTimeout(poll, INTERVAL * 2);
        }
      });
  }

  var state = box.getAttribute("data-state");
  if (state !== "done" && state !== "failed") {
    window.setTimeout(poll, INTERVAL);
  }
})();
