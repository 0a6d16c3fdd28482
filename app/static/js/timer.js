/* The step timer's countdown (board, phones, console). The server renders the remaining time and the state; this
   counts down locally from the moment the fragment arrived (the device's own clock is never compared with the
   server's) and re-arms after every swap. The mm:ss is role="timer" (not announced); the polite status says
   "1 minuut over" and "De tijd is om" once, when the count crosses them. */
(function () {
  "use strict";

  var ONE_MINUTE = 60000;
  var last = {};  // remaining ms per timer (step id), across swaps: announce crossings only once

  function format(ms) {
    var total = Math.max(0, Math.ceil(ms / 1000));
    var hours = Math.floor(total / 3600), minutes = Math.floor((total % 3600) / 60), seconds = total % 60;
    var mmss = (minutes < 10 ? "0" : "") + minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    return hours ? hours + ":" + mmss : mmss;
  }

  function announce(el, text) {
    var status = el.querySelector("[data-timer-status]");
    if (status) status.textContent = text;
  }

  function remaining(el) {
    if (el.dataset.state !== "running") return el.dataset.state === "paused" ? el._startMs : 0;
    return el._startMs - (performance.now() - el._armedAt);
  }

  function update(el) {
    var key = el.dataset.key, now = remaining(el);
    var before = key in last ? last[key] : el._startMs;
    if (before > ONE_MINUTE && now <= ONE_MINUTE && now > 0) announce(el, el.dataset.oneMinute);
    if (before > 0 && now <= 0) announce(el, el.dataset.timeUp);
    last[key] = now;
    var clock = el.querySelector(".timer-clock");
    if (clock) clock.textContent = format(now);
    if (el.dataset.state === "running") {
      el.classList.toggle("timer-low", now <= ONE_MINUTE);
      if (now <= 0) {  // the server confirms with its own frame a moment later
        el.classList.add("timer-ended");
        var label = el.querySelector(".timer-label");
        if (label) label.textContent = el.dataset.timeUp;
      }
    }
  }

  function arm(root) {
    var scope = root && root.querySelectorAll ? root : document;
    Array.prototype.forEach.call(scope.querySelectorAll("[data-timer]"), function (el) {
      if (el._armedAt !== undefined) return;
      el._armedAt = performance.now();
      el._startMs = parseInt(el.dataset.remainingMs, 10) || 0;
      update(el);
    });
  }

  function tick() {
    arm(document);  // anything swapped in since the last tick
    Array.prototype.forEach.call(document.querySelectorAll("[data-timer]"), update);
  }

  document.addEventListener("htmx:wsAfterMessage", function () { arm(document); });
  document.addEventListener("htmx:afterSwap", function () { arm(document); });
  document.addEventListener("DOMContentLoaded", function () {
    arm(document);
    setInterval(tick, 250);
  });
})();
