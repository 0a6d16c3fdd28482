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

  // Someone is writing in this part of the page: a field has focus or holds typed text.
  // Someone is filling in this part of the page: a field has focus, or text, a choice or a number differs from what
  // the page came with (a half-filled poll, dots or roles form counts as much as typed text).
  function isTyping(part) {
    return Array.prototype.some.call(part.querySelectorAll("textarea:not([readonly]), input, select"), function (field) {
      if (field.type === "hidden") return false;
      if (field === document.activeElement) return true;
      if (field.type === "radio" || field.type === "checkbox") return field.checked !== field.defaultChecked;
      if (field.tagName === "SELECT") {
        var initial = 0;  // without a preselected option a single select starts on its first
        Array.prototype.forEach.call(field.options, function (o, i) { if (o.defaultSelected) initial = i; });
        return field.multiple
          ? Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; })
          : field.selectedIndex !== initial;
      }
      return field.value.trim() !== field.defaultValue.trim();
    });
  }

  document.addEventListener("htmx:wsOpen", function () { setConnected(true); });
  document.addEventListener("htmx:wsClose", function (event) {
    // 4001: the facilitator removed this participant. Say so; the socket does not reconnect, no form is left.
    if (event.detail && event.detail.event && event.detail.event.code === 4001) {
      var note = document.getElementById("connection");
      if (note) {
        note.textContent = note.dataset.removed || "";
        note.hidden = false;
      }
      var mine = document.getElementById("phone-mine");
      if (mine) mine.remove();
      document.body.classList.add("removed");
      return;
    }
    setConnected(false);
  });

  // 503: the server is very busy. The form (with its text and idempotency key) is sent again by itself after
  // Retry-After seconds and a little jitter, a few times; the same key means it is never saved twice.
  function sendAgainLater(elt, xhr) {
    var form = elt.closest && elt.closest("form");
    if (!form) return false;
    var tries = Number(form.dataset.tries || 0);
    if (tries >= 8) return false;
    form.dataset.tries = String(tries + 1);
    var wait = Number(xhr.getResponseHeader("Retry-After")) || 2;
    setTimeout(function () {
      if (document.body.contains(form)) htmx.trigger(form, "submit");
    }, wait * 1000 * (1 + Math.random()));
    return true;
  }

  // Errors other than 422 (which swaps a form with its message) show the server's text.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status === 401 && xhr.getResponseHeader("HX-Redirect")) return;
    if (xhr.status === 503) sendAgainLater(event.detail.elt, xhr);
    var text = xhr.getResponseHeader("Content-Type") && xhr.getResponseHeader("Content-Type").indexOf("text/plain") === 0
      ? xhr.responseText : document.body.dataset.msgError;
    flash(text);
  });
  // Network trouble: nothing was swapped, so the typed text is still in the form. Say so.
  document.addEventListener("htmx:sendError", function () { flash(document.body.dataset.msgOffline); });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful) return;
    var sent = event.detail.elt.closest && event.detail.elt.closest("form");
    if (sent) delete sent.dataset.tries;
    flash("");
    // A drafting form that the live updates do not replace (e.g. a new agreement) starts empty again.
    var form = event.detail.elt.closest && event.detail.elt.closest("form[data-reset-on-success]");
    if (form) form.reset();
  });

  // Live deltas (see app/realtime/fanout.py), prepared by the htmx extension "live" before htmx swaps them:
  // - an element marked data-gone removes the element with its id, if this screen has it;
  // - an element appended to a list (hx-swap-oob="beforeend:#list") replaces the element with the same id when
  //   that is there already (in that list: in place; elsewhere: it moves);
  // - a region or list this screen lacks (it shows something else) is left out, and the screen asks the server
  //   for a fresh snapshot of its connection, so a delta never leaves a screen wrong.
  var socket = null;
  var lastResync = 0;
  function resync(now) {
    if (!socket || (!now && Date.now() - lastResync < 2000)) return;
    lastResync = Date.now();
    socket.send(JSON.stringify({ type: "resync" }));
  }
  document.addEventListener("htmx:wsOpen", function (event) { socket = event.detail.socketWrapper; });

  // Text typed in a part of the page that is not sent yet.
  function typedText(part) {
    return Array.prototype.map.call(part.querySelectorAll("textarea:not([readonly]), input[type=text]"), function (field) {
      return field.value.trim() !== field.defaultValue.trim() ? field.value.trim() : "";
    }).filter(Boolean).join("\n");
  }

  // The phone's own part arrives with every step change. What is being typed is never thrown away: on the same
  // step and state the new part is left out; when the step changed or closed, the typed text stays on screen,
  // marked as not sent, to copy.
  function keepTyping(node) {
    var current = document.getElementById("phone-mine");
    if (!current || !isTyping(current)) return true;
    if (current.dataset.state === node.dataset.state) return false;
    var text = typedText(current);
    if (text) {
      var late = document.createElement("div");
      late.className = "late-text";
      late.setAttribute("role", "status");
      var note = document.createElement("p");
      note.textContent = current.dataset.late || "";
      var copy = document.createElement("textarea");
      copy.readOnly = true;
      copy.rows = 3;
      copy.textContent = text;  // the frame is handed on as HTML: the text must be content, not a property
      copy.setAttribute("aria-label", current.dataset.late || "");
      late.appendChild(note);
      late.appendChild(copy);
      node.insertBefore(late, node.firstChild);
    }
    return true;
  }

  function prepareDelta(node) {
    if (node.id === "phone-mine" && !keepTyping(node)) return false;
    if (node.hasAttribute("data-gone")) {
      var gone = document.getElementById(node.id);
      if (gone) gone.remove();
      return false;
    }
    var swap = node.getAttribute("hx-swap-oob") || "true";
    var at = swap.indexOf(":#");
    var target = document.getElementById(at >= 0 ? swap.slice(at + 2) : node.id);
    if (!target) return null;
    if (at < 0) return true;
    Array.prototype.slice.call(node.children).forEach(function (item) {
      var existing = item.id && document.getElementById(item.id);
      if (!existing) return;
      if (existing.parentNode === target) {
        existing.replaceWith(item);
        htmx.process(item);
      } else {
        existing.remove();
      }
    });
    return node.children.length > 0;
  }
  htmx.defineExtension("live", {
    transformResponse: function (text, xhr) {
      if (xhr) return text;  // only frames from the WebSocket
      var template = document.createElement("template");
      template.innerHTML = text;
      var missing = false;
      Array.prototype.slice.call(template.content.children).forEach(function (node) {
        var keep = prepareDelta(node);
        if (keep === null) missing = true;
        if (!keep) node.remove();
      });
      if (missing) resync(false);
      return template.innerHTML;
    }
  });

  // Forms broadcast to every phone carry no idempotency key of their own: each phone makes one, once, so a
  // retry of the same submission reuses it (and never makes a second answer).
  function freshKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function fillKeys(root) {
    Array.prototype.forEach.call(root.querySelectorAll("input[data-fresh-key]"), function (input) {
      if (!input.value) input.value = freshKey();
    });
  }
  htmx.onLoad(fillKeys);
  document.addEventListener("htmx:wsAfterMessage", function () { fillKeys(document); });
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form");
    var input = form && form.querySelector("input[data-fresh-key]");
    if (input && !input.value) {
      input.value = freshKey();
      event.detail.parameters.idempotency_key = input.value;
    }
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
    // The facilitator changed this phone's own answers (approved, hid, corrected, merged): fetch them again, but
    // never while something is being typed there (that text must not be lost; sending it fetches them anyway).
    var nudge = document.getElementById("phone-nudge");
    if (nudge && mine && nudge.dataset.at && nudge.dataset.at !== nudge.dataset.seen && !isTyping(mine)) {
      nudge.dataset.seen = nudge.dataset.at;
      htmx.trigger(mine, "refresh");
    }
    // The same for other personal parts that follow a live region (data-follows="<its id>").
    Array.prototype.forEach.call(document.querySelectorAll("[data-follows]"), function (part) {
      var source = document.getElementById(part.dataset.follows);
      if (source && source.dataset.state !== part.dataset.state) {
        part.dataset.state = source.dataset.state;
        htmx.trigger(part, "refresh");
      }
    });
  });

  // A live region replaced while the facilitator works in it (the moderation view) keeps what was open, typed
  // and focused: <details> stay open, a field being typed in keeps its text, focus stays on the same control.
  var kept = null;
  document.addEventListener("htmx:wsBeforeMessage", function () {
    var active = document.activeElement;
    kept = {
      open: Array.prototype.map.call(document.querySelectorAll(".moderation details[open][id]"), function (d) {
        return d.id;
      }),
      focus: active && active.id ? active.id : "",
      value: active && active.id && "value" in active && active.type !== "hidden" ? active.value : null
    };
  });
  document.addEventListener("htmx:wsAfterMessage", function () {
    if (!kept) return;
    kept.open.forEach(function (id) {
      var details = document.getElementById(id);
      if (details) details.open = true;
    });
    var field = kept.focus && document.getElementById(kept.focus);
    if (field && field !== document.activeElement) {
      if (kept.value !== null && "value" in field && /^(INPUT|TEXTAREA)$/.test(field.tagName)) field.value = kept.value;
      field.focus();
    }
    kept = null;
  });

  // Board controls. Preferences of this screen (QR, projector view, theme) are kept in localStorage; lobby and
  // blank screen (keys L and B) are for the moment only. Pausing holds the screen still (WCAG 2.2.2): frames are
  // left aside, and resuming asks for a fresh snapshot.
  var KEPT = ["hide-qr", "projector"];
  function boardState(name) { return document.body.classList.contains(name); }
  function setBoardState(name, on) {
    document.body.classList.toggle(name, on);
    var button = document.querySelector('[data-board-toggle="' + name + '"]');
    if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
    if (KEPT.indexOf(name) >= 0) {
      try { localStorage.setItem("board-" + name, on ? "1" : ""); } catch (e) { /* private mode */ }
    }
    if (name === "paused") {
      var note = document.querySelector(".board-paused-note");
      if (note) note.textContent = on ? note.dataset.pausedText : "";
      if (!on) resync(true);
    }
    fitNotes();
  }
  function setTheme(button, theme) {
    var themes = button.dataset.themes.split(" ");
    var index = Math.max(themes.indexOf(theme), 0);
    themes.forEach(function (name) { document.body.classList.toggle("theme-" + name, name === themes[index]); });
    button.textContent = button.dataset.labels.split("|")[index];
    try { localStorage.setItem("board-theme", themes[index]); } catch (e) { /* private mode */ }
  }

  // Notes on the board run newest first (board.css); a note cut off at the bottom of its list is hidden, and the
  // list says how many do not fit ("+12 more").
  function fitNotes() {
    var board = document.querySelector(".board[data-more]");
    if (!board) return;
    Array.prototype.forEach.call(board.querySelectorAll(".board-answers ul.notes"), function (list) {
      var bottom = list.getBoundingClientRect().bottom + 1;
      var hidden = 0;
      Array.prototype.forEach.call(list.children, function (note) {
        note.removeAttribute("data-clipped");
        if (note.getBoundingClientRect().bottom > bottom) {
          note.setAttribute("data-clipped", "");
          hidden += 1;
        }
      });
      var more = list.nextElementSibling;
      if (!more || !more.classList.contains("notes-more")) {
        more = document.createElement("p");
        more.className = "notes-more";
        more.setAttribute("aria-hidden", "true");  // a hint for the room: screen readers have every note
        list.parentNode.insertBefore(more, list.nextSibling);
      }
      more.textContent = hidden ? "+" + hidden + " " + board.dataset.more : "";
    });
  }
  document.addEventListener("htmx:wsAfterMessage", fitNotes);
  window.addEventListener("resize", fitNotes);

  document.addEventListener("htmx:wsBeforeMessage", function (event) {
    if (boardState("paused")) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-board-toggle]");
    if (toggle) setBoardState(toggle.dataset.boardToggle, !boardState(toggle.dataset.boardToggle));
    var theme = event.target.closest("[data-board-theme]");
    if (theme) {
      var themes = theme.dataset.themes.split(" ");
      var now = themes.filter(function (name) { return boardState("theme-" + name); })[0] || themes[0];
      setTheme(theme, themes[(themes.indexOf(now) + 1) % themes.length]);
    }
    if (event.target.closest("[data-board-fullscreen]") && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () { /* not allowed here */ });
    }
  });

  // Console keyboard shortcuts: a key clicks the button that carries it (data-shortcut). They can be switched
  // off (WCAG 2.1.4) and never fire while typing in a field.
  function shortcutsOn() {
    try { return localStorage.getItem("console-shortcuts") !== "off"; } catch (e) { return true; }
  }
  document.addEventListener("change", function (event) {
    if (!event.target.matches("[data-shortcuts-toggle]")) return;
    try { localStorage.setItem("console-shortcuts", event.target.checked ? "on" : "off"); } catch (e) { /* private */ }
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || !shortcutsOn()) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    var button = document.querySelector('[data-shortcut="' + event.key.toLowerCase() + '"]:not([disabled])');
    if (button) {
      event.preventDefault();
      button.click();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector("[data-shortcuts-toggle]");
    if (toggle) toggle.checked = shortcutsOn();
    var box = document.getElementById("flash");
    if (box && !box.textContent) box.hidden = true;
    if (document.querySelector(".board-controls")) {
      KEPT.forEach(function (name) {
        var saved = null;
        try { saved = localStorage.getItem("board-" + name); } catch (e) { /* private mode */ }
        if (saved) setBoardState(name, true);
      });
      var theme = document.querySelector("[data-board-theme]");
      var savedTheme = null;
      try { savedTheme = localStorage.getItem("board-theme"); } catch (e) { /* private mode */ }
      if (theme) setTheme(theme, savedTheme || "light");
      fitNotes();
    }
  });
})();
