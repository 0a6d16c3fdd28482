/* Opgroeiruimte Live: the little JavaScript the pages need on top of htmx (no inline scripts: CSP). */
(function () {
  "use strict";

  // Reconnect quickly on poor meeting-room wifi: at most ~5 s between attempts, with jitter.
  htmx.config.wsReconnectDelay = function (retryCount) {
    var base = Math.min(500 * Math.pow(2, retryCount), 5000);
    return base / 2 + Math.random() * base / 2;
  };

  function flash(message) {
    var box = document.getElementById("flash");
    if (!box) return;
    box.textContent = message;
    box.hidden = !message;
  }

  function setConnected(connected) {
    var note = document.getElementById("connection");
    if (!note) return;
    note.textContent = connected ? "" : note.dataset.offline;
    note.hidden = connected;
    document.body.classList.toggle("offline", !connected);
  }

  document.addEventListener("htmx:wsOpen", function () { setConnected(true); });
  document.addEventListener("htmx:wsClose", function () { setConnected(false); });

  // Errors other than 422 (which swaps a form with its message) show the server's text.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status === 401 && xhr.getResponseHeader("HX-Redirect")) return;
    var text = xhr.getResponseHeader("Content-Type") && xhr.getResponseHeader("Content-Type").indexOf("text/plain") === 0
      ? xhr.responseText : document.body.dataset.msgError;
    flash(text);
  });
  // Network trouble: nothing was swapped, so the typed text is still in the form. Say so.
  document.addEventListener("htmx:sendError", function () { flash(document.body.dataset.msgOffline); });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) flash("");
  });

  // The phone's own notes follow the broadcast step: when step, open state or workshop status changed,
  // fetch them again (this also covers reconnects after sleep or wifi loss).
  document.addEventListener("htmx:wsAfterMessage", function () {
    var step = document.getElementById("phone-step");
    var mine = document.getElementById("phone-mine");
    if (step && mine && step.dataset.state !== mine.dataset.state) {
      mine.dataset.state = step.dataset.state;
      htmx.trigger(mine, "refresh");
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("flash");
    if (box && !box.textContent) box.hidden = true;
  });
})();
