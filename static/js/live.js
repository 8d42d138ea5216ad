/*
 * meetingday — live.js
 * Keeps a screen in step with the meeting. Plain ES5 for older Android Chrome.
 *
 *  <body data-live-meeting="12" [data-live-key="…"] [data-live-pass="…"] data-server-now="…">
 *
 *  - connects to Socket.IO with {meeting, locale, key, pass}; staff are known by their cookie;
 *  - "swap" {now, read, swaps: [{target, html}]}: each fragment replaces its region (htmx.swap,
 *    outerHTML), unless the region already shows a state read later (several server processes);
 *    a region whose drop-down has the focus (its list may be open) gets the newest fragment
 *    once the focus leaves it (after 5 s at most);
 *  - "refresh" {targets: [...]}: those regions are fetched again over HTTP (private content);
 *  - on every connect and reconnect, every [data-live-src] region is reloaded over HTTP, so a
 *    message missed while away never leaves the screen stale; the same on a "live-reload" event
 *    (the server sends HX-Trigger: live-reload with a refused stale action); in one request
 *    when <body> has data-live-regions="…" (an address answering every region out of band);
 *  - #live-status says, quietly, when the screen is offline and reconnecting;
 *  - timers, corrected for the difference between this device's clock and the server's:
 *      [data-clock]                               HH:MM (Vietnam time)
 *      [data-elapsed-from=ms][data-plan-seconds]  elapsed m:ss; .timer-warn near the plan, .timer-over past it
 *      [data-countdown-to=ms]                     remaining m:ss; .timer-warn in the last minute,
 *                                                 .timer-over and "+m:ss" counting up when past
 *  - pages: [data-page-every=ms] is a box whose overflow is laid out as further columns, each as
 *    wide as the box (CSS: column-fill auto, a fixed height): it shows one page at a time and
 *    turns to the next every so many ms, from the server's clock (every projector on the same
 *    page, unchanged by a swap); a [data-page-of] beside it says "2/3" when there is more than one.
 *
 *  A screen whose display key or pass is revoked is disconnected by the server, tries again, is
 *  refused with {revoked: true} and reloads: the page then says that its link no longer works.
 */
(function () {
  "use strict";

  var body = document.body;
  var shared = window.meetingday;
  var offset = 0; // server clock minus this device's clock, in ms

  function setServerNow(ms) {
    if (ms) { offset = Number(ms) - Date.now(); }
  }
  setServerNow(body.getAttribute("data-server-now"));

  function now() { return Date.now() + offset; }

  /* ---- timers ----------------------------------------------------------- */
  function duration(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return (h ? h + ":" + shared.pad(m) : String(m)) + ":" + shared.pad(sec);
  }

  function mark(el, warn, over) {
    el.classList.toggle("timer-warn", warn && !over);
    el.classList.toggle("timer-over", over);
  }

  function turnPage(el, t) {
    var width = el.clientWidth;
    if (!width) { return; }
    var gap = parseFloat(window.getComputedStyle(el).columnGap) || 0;
    var stride = width + gap;
    var pages = Math.max(1, Math.round((el.scrollWidth + gap) / stride));
    var every = Number(el.getAttribute("data-page-every")) || 15000;
    var page = Math.floor(t / every) % pages;
    el.scrollLeft = page * stride;
    var label = el.parentNode ? el.parentNode.querySelector("[data-page-of]") : null;
    if (label) {
      label.hidden = pages < 2;
      label.textContent = (page + 1) + "/" + pages;
    }
  }

  function tick() {
    var t = now();
    var i, el, els;
    els = document.querySelectorAll("[data-clock]");
    for (i = 0; i < els.length; i++) { els[i].textContent = shared.vnTime(t); }

    els = document.querySelectorAll("[data-elapsed-from]");
    for (i = 0; i < els.length; i++) {
      el = els[i];
      var from = Number(el.getAttribute("data-elapsed-from"));
      var until = Number(el.getAttribute("data-elapsed-until")) || t; // a finished span stands still
      var elapsed = Math.max(0, until - from);
      el.textContent = duration(elapsed);
      var plan = Number(el.getAttribute("data-plan-seconds")) * 1000;
      if (plan > 0) {
        var margin = Math.min(60000, plan * 0.1);
        mark(el, elapsed >= plan - margin, elapsed > plan);
      }
    }

    els = document.querySelectorAll("[data-countdown-to]");
    for (i = 0; i < els.length; i++) {
      el = els[i];
      var left = Number(el.getAttribute("data-countdown-to")) - t;
      el.textContent = (left < 0 ? "+" : "") + duration(left);
      mark(el, left <= 60000, left < 0);
    }

    els = document.querySelectorAll("[data-page-every]");
    for (i = 0; i < els.length; i++) { turnPage(els[i], t); }
  }
  tick();
  window.setInterval(tick, 1000);
  document.addEventListener("htmx:afterSettle", tick);

  /* ---- regions ---------------------------------------------------------- */
  function reload(el) {
    var src = el.getAttribute("data-live-src");
    if (src && window.htmx) {
      // Each region is its own source: htmx queues the requests of one source (without it,
      // all come from <body> and only the first and the last of a page's regions would load).
      // Offline, htmx rejects the promise: the next reconnect reloads the region anyway.
      var done = window.htmx.ajax("GET", src, { source: el, target: el, swap: "outerHTML" });
      if (done && done.catch) { done.catch(function () {}); }
    }
  }

  // A page whose <body> names data-live-regions gets all its regions from that one address,
  // each drawn out of band (hx-swap-oob): one request on a weak network instead of one each.
  function reloadAll() {
    var all = body.getAttribute("data-live-regions");
    if (all && window.htmx) {
      var done = window.htmx.ajax("GET", all, { source: body, target: body, swap: "none" });
      if (done && done.catch) { done.catch(function () {}); }
      return;
    }
    var els = document.querySelectorAll("[data-live-src]");
    for (var i = 0; i < els.length; i++) { reload(els[i]); }
  }

  // With several server processes, a push rendered from an older state can arrive after a
  // newer one: each region keeps the newest by the time its state was read ("read").
  var lastRead = {};

  // A region holding a drop-down the user is on (focused: its list may be open) is not
  // swapped under them, or their choice would go to a list no longer on the page: the newest
  // fragment for it waits until the focus leaves the drop-down, or HOLD_MS at most (a
  // drop-down left focused must not keep the chair's queue from moving).
  var HOLD_MS = 5000;
  var held = {}; // target -> {html, read}

  function choosing(el) {
    var active = document.activeElement;
    return active && active.tagName === "SELECT" && el.contains(active) ? active : null;
  }

  function swapRegion(target, html, read, force) {
    if (read && lastRead[target] && read < lastRead[target]) { return; }
    var el = document.querySelector(target);
    if (!el) { return; }
    var select = force ? null : choosing(el);
    if (select) {
      var first = !held[target];
      held[target] = { html: html, read: read };
      if (first) {
        select.addEventListener("blur", function () { releaseHeld(target, false); }, { once: true });
        window.setTimeout(function () { releaseHeld(target, true); }, HOLD_MS);
      }
      return;
    }
    delete held[target];
    window.htmx.swap(el, html, { swapStyle: "outerHTML" });
    if (read) { lastRead[target] = read; }
  }

  function releaseHeld(target, force) {
    var waiting = held[target];
    if (!waiting) { return; }
    delete held[target];
    // After the blur's own work (a change's request) has started from the drop-down.
    window.setTimeout(function () { swapRegion(target, waiting.html, waiting.read, force); tick(); }, 0);
  }

  function applySwaps(msg) {
    if (!msg || !window.htmx) { return; }
    setServerNow(msg.now);
    var swaps = msg.swaps || [];
    var read = Number(msg.read) || 0;
    for (var i = 0; i < swaps.length; i++) {
      swapRegion(swaps[i].target, swaps[i].html, read);
    }
    tick();
  }

  // An action's own answer (out-of-band regions, data-read = when the server read them) may
  // arrive after a push of a newer state: keep the newer.
  document.addEventListener("htmx:oobBeforeSwap", function (evt) {
    var frag = evt.detail.fragment;
    var el = frag && frag.firstElementChild;
    var read = el ? Number(el.getAttribute("data-read")) : 0;
    var target = evt.detail.target && evt.detail.target.id ? "#" + evt.detail.target.id : null;
    if (!read || !target) { return; }
    if (lastRead[target] && read < lastRead[target]) { evt.detail.shouldSwap = false; return; }
    lastRead[target] = read;
  });

  function refresh(msg) {
    var targets = (msg && msg.targets) || [];
    for (var i = 0; i < targets.length; i++) {
      var el = document.querySelector(targets[i]);
      if (el) { reload(el); }
    }
  }

  body.addEventListener("live-reload", reloadAll);

  /* ---- connection ------------------------------------------------------- */
  var meeting = body.getAttribute("data-live-meeting");
  if (!meeting || !window.io) { return; }

  var status = document.getElementById("live-status");
  function online(yes) {
    body.classList.toggle("is-offline", !yes);
    if (status) { status.hidden = yes; }
  }

  var socket = window.io({
    auth: {
      meeting: Number(meeting),
      locale: document.documentElement.getAttribute("lang") || "vi",
      key: body.getAttribute("data-live-key"),
      pass: body.getAttribute("data-live-pass")
    },
    reconnectionDelayMax: 5000
  });
  // A screen whose display key or pass was revoked is disconnected by the server; it tries
  // again and is refused with {revoked: true}: it reloads, and the page says in its language
  // that the link no longer works. At most once a minute, should the page still open.
  var RELOADED = "meetingday-revoked-reload";
  function revoked(err) {
    var last = 0;
    try { last = Number(window.sessionStorage.getItem(RELOADED)) || 0; } catch (e) { /* private mode */ }
    if (Date.now() - last > 60000) {
      try { window.sessionStorage.setItem(RELOADED, String(Date.now())); } catch (e) { /* private mode */ }
      window.location.reload();
    } else if (status) {
      status.textContent = err.message;
    }
  }

  socket.on("connect", function () { online(true); reloadAll(); });
  socket.on("disconnect", function (reason) {
    online(false);
    // The server ended this connection (the client does not come back by itself): ask again.
    if (reason === "io server disconnect") { socket.connect(); }
  });
  socket.on("connect_error", function (err) {
    online(false);
    if (err && err.data && err.data.revoked) { revoked(err); }
  });
  socket.on("swap", applySwaps);
  socket.on("refresh", refresh);

  window.meetingdayLive = { socket: socket, reload: reloadAll, now: now };
})();
