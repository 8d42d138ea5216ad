/*
 * meetingday — desk.js: the secretary's desk (templates/desk/page.html). No framework.
 *
 * 1. Text boxes that save themselves. Each <textarea data-desk-box> carries its save URL
 *    (data-url) and the revision it shows (data-revision). Typing shows "Chưa lưu…"; after 800 ms
 *    idle the text is kept in localStorage (key per meeting and box) and POSTed (text, revision);
 *    the JSON answer {revision, saved_at} shows "Đã lưu lúc 08:31". The kept copy is removed only
 *    once the server confirmed that exact text. A network failure or a 5xx keeps it and retries:
 *    on the window's "online" event, when the Socket.IO connection comes back, and every 5 s. On
 *    page load every kept text is put back in its box (or sent on its own, if its box is not on
 *    the page) and sent. 409 note_conflict shows the text saved from the other screen with
 *    "Lưu đè bằng bản của tôi" / "Dùng bản đã lưu"; other refusals (minutes_final, text_too_long)
 *    show their message and keep the text. A page-level indicator counts what is waiting, and
 *    leaving the page while something is unsaved asks first.
 *
 * 2. Following the live agenda. The programme (#desk-programme) is pushed by the server on every
 *    agenda and speaker change; its root says which item is current (data-current) and each item
 *    a digest of what its pane shows (data-sig). The pane shows the current item and moves on
 *    with the chair, unless the secretary chose another item (then "Đang xem mục khác — Về mục
 *    hiện tại"), or is writing in the pane when the chair moves on (then the pane stays put and
 *    says so). When the digest of the item shown changes, the pane is fetched again and merged
 *    in: parts marked data-part are replaced, new remarks are added, text boxes are never
 *    replaced or moved.
 *
 * 3. The rest: section navigation (items, "Kết luận Hội nghị", "Văn bản"), the finalized lock
 *    (every box read-only, from #desk-final[data-final]), publishing and finalizing only once
 *    every box is saved, the reopen dialog.
 */
(function () {
  "use strict";

  var root = document.getElementById("desk");
  if (!root || !window.fetch) { return; }
  var shared = window.meetingday;

  var MEETING = root.getAttribute("data-meeting");
  // Kept copies belong to this meeting of this database: a database set up again (ids reused)
  // never receives a text typed for another one.
  var PREFIX = "meetingday:desk:" + MEETING + ":" + (root.getAttribute("data-instance") || "") + ":";
  // Texts set aside: a kept copy whose box no longer exists, or the secretary's own text when
  // she chose the version saved on another screen. Never sent; kept for a week in case.
  var ASIDE = "meetingday:desk-aside:" + MEETING + ":";
  var KEEP_DAYS = 14;
  var IDLE_MS = 800;
  var RETRY_MS = 5000;

  function msg(name, values) {
    var text = root.getAttribute("data-msg-" + name) || "";
    if (values) {
      for (var k in values) { if (values.hasOwnProperty(k)) { text = text.replace("{" + k + "}", values[k]); } }
    }
    return text;
  }

  /* ---- kept copies (localStorage) --------------------------------------- */
  function readKept(key) {
    try {
      var raw = window.localStorage.getItem(PREFIX + key);
      var kept = raw ? JSON.parse(raw) : null;
      if (kept && kept.at && Date.now() - kept.at > KEEP_DAYS * 86400000) { // long forgotten
        setAside(key, kept.text);
        dropKept(key);
        return null;
      }
      return kept;
    } catch (e) { return null; }
  }

  function setAside(key, text) {
    try {
      if (text) { window.localStorage.setItem(ASIDE + key + ":" + Date.now(), text); }
    } catch (e) { /* no room: nothing more to do */ }
  }

  // What block() on the server makes of a text: composed letters, each line trimmed with single
  // spaces, no run of more than one blank line, no blank start or end.
  function normal(text) {
    var t = String(text || "");
    if (t.normalize) { t = t.normalize("NFC"); }
    t = t.replace(/\r\n?/g, "\n").split("\n").map(function (line) {
      return line.replace(/\s+/g, " ").trim();
    }).join("\n");
    return t.replace(/\n{3,}/g, "\n\n").replace(/^\n+|\n+$/g, "");
  }

  function writeKept(st) {
    try {
      window.localStorage.setItem(PREFIX + st.key, JSON.stringify({
        text: st.text, revision: st.revision, url: st.url, item: st.item, label: st.label, at: Date.now()
      }));
    } catch (e) { /* storage full or off: the text is still in memory and in the box */ }
  }

  function dropKept(key) {
    try { window.localStorage.removeItem(PREFIX + key); } catch (e) { /* nothing kept */ }
  }

  function keptKeys() {
    var keys = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var k = window.localStorage.key(i);
        if (k && k.indexOf(PREFIX) === 0) { keys.push(k.slice(PREFIX.length)); }
      }
    } catch (e) { /* no storage */ }
    return keys;
  }

  /* ---- box states --------------------------------------------------------
   * key -> {key, url, item, label, revision (the server's revision our save starts from),
   *         confirmed (the text the server confirmed), text (what the box holds), el, timer,
   *         inflight (a promise), again, conflict {current, revision, message},
   *         error {code, message}, offline, savedAt (ms)} */
  var states = {};
  var locked = root.classList.contains("is-final");

  function unsaved(st) { return st.text !== st.confirmed || !!st.conflict; }

  function pendingStates() {
    var list = [];
    for (var k in states) { if (states.hasOwnProperty(k) && unsaved(states[k])) { list.push(states[k]); } }
    return list;
  }

  function wrapOf(st) { return st.el ? st.el.closest(".desk-box") : null; }

  function render(st) {
    var wrap = wrapOf(st);
    if (wrap) {
      var status = wrap.querySelector(".desk-status");
      var cls = "is-saved", text = "";
      if (st.conflict) {
        cls = "is-conflict"; text = msg("dirty");
      } else if (st.error) {
        cls = "is-error"; text = st.error.message;
      } else if (st.offline) {
        cls = "is-offline"; text = st.offline === "login" ? msg("login") : (st.offline === "server" ? msg("server") : msg("offline"));
      } else if (st.inflight) {
        cls = "is-saving"; text = msg("saving");
      } else if (st.text !== st.confirmed) {
        cls = "is-dirty"; text = msg("dirty");
      } else if (st.savedAt) {
        text = msg("saved", { time: shared.vnTime(st.savedAt) });
      }
      wrap.classList.remove("is-saved", "is-conflict", "is-error", "is-offline", "is-saving", "is-dirty");
      wrap.classList.add(cls);
      if (status && status.textContent !== text) { status.textContent = text; }
      var panel = wrap.querySelector(".desk-conflict");
      if (panel) {
        panel.hidden = !st.conflict;
        if (st.conflict) {
          panel.querySelector(".desk-conflict-msg").textContent = st.conflict.message || "";
          panel.querySelector(".desk-conflict-text").textContent = st.conflict.current || "";
        }
      }
    }
    renderPending();
  }

  function renderPending() {
    var box = document.getElementById("desk-saving");
    if (!box) { return; }
    var list = pendingStates();
    var offline = list.some(function (s) { return !!s.offline; });
    var text = list.length === 0 ? msg("all-saved")
      : msg(offline ? "pending-offline" : "pending", { n: list.length });
    var waiting = list.filter(function (s) { return !s.el && s.item; });
    var shape = text + "|" + waiting.map(function (s) { return s.key; }).join(",");
    if (box.getAttribute("data-shape") === shape) { return; }
    box.setAttribute("data-shape", shape);
    box.querySelector(".desk-saving-text").textContent = text;
    box.classList.toggle("is-saved", list.length === 0);
    box.classList.toggle("is-pending", list.length > 0 && !offline);
    box.classList.toggle("is-offline", offline);
    // The waiting boxes that are not on the screen: a link to each one's item.
    var where = box.querySelector(".desk-saving-where");
    where.innerHTML = "";
    waiting.forEach(function (s) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "btn btn-small btn-ghost";
      b.setAttribute("data-show-item", s.item);
      b.textContent = s.label || s.key;
      where.appendChild(b);
    });
  }

  function autogrow(el) {
    el.style.height = "auto";
    el.style.height = (el.scrollHeight + 2) + "px";
  }

  function bind(el) {
    var key = el.getAttribute("data-key");
    var serverText = el.value;
    var serverRev = Number(el.getAttribute("data-revision")) || 0;
    var savedAt = Number(el.getAttribute("data-saved-at")) || null;
    var st = states[key];
    if (!st) {
      st = states[key] = { key: key, revision: serverRev, confirmed: serverText, text: serverText, savedAt: savedAt };
      var kept = readKept(key);
      if (kept && kept.text !== serverText) {
        st.text = kept.text;
        st.revision = Number(kept.revision) || 0;
      } else if (kept) {
        dropKept(key); // the server already has exactly this text
      }
    } else if (!unsaved(st) && !st.inflight && serverRev >= st.revision) {
      // Nothing of ours is waiting: take what the server has now.
      st.revision = serverRev; st.confirmed = st.text = serverText; st.savedAt = savedAt || st.savedAt;
    }
    st.url = el.getAttribute("data-url");
    st.item = el.getAttribute("data-item") || null;
    st.label = el.getAttribute("data-label") || "";
    st.el = el;
    if (el.value !== st.text) { el.value = st.text; }
    el.readOnly = locked;
    if (!el._desk) {
      el._desk = true;
      el.addEventListener("input", function () { onInput(states[key]); });
      el.addEventListener("blur", function () {
        var s = states[key];
        if (s.timer) { save(s); }
      });
    }
    autogrow(el);
    render(st);
    if (unsaved(st) && !st.inflight && !st.conflict) { schedule(st, 50); }
  }

  function bindAll(scope) {
    var els = (scope || root).querySelectorAll("textarea[data-desk-box]");
    for (var i = 0; i < els.length; i++) { bind(els[i]); }
  }

  // A box taken off the screen (another item shown) keeps its state; its text goes on saving.
  function unbindGone() {
    for (var k in states) {
      if (states.hasOwnProperty(k) && states[k].el && !document.body.contains(states[k].el)) { states[k].el = null; }
    }
    renderPending();
  }

  function onInput(st) {
    if (!st) { return; }  // its remark or item is gone
    st.text = st.el.value;
    if (st.error && st.error.code !== "minutes_final") { st.error = null; }
    writeKept(st);
    autogrow(st.el);
    schedule(st, IDLE_MS);
    render(st);
  }

  function schedule(st, ms) {
    if (st.timer) { window.clearTimeout(st.timer); }
    st.timer = window.setTimeout(function () { st.timer = null; save(st); }, ms);
  }

  function save(st) {
    if (st.timer) { window.clearTimeout(st.timer); st.timer = null; }
    if (st.inflight) { st.again = true; return st.inflight; }
    if (st.conflict || !st.url) { return Promise.resolve(); }
    var text = st.text;
    if (text === st.confirmed) {
      if (readKept(st.key)) { dropKept(st.key); }
      render(st);
      return Promise.resolve();
    }
    writeKept(st); // kept before it is sent
    st.again = false;
    var body = "text=" + encodeURIComponent(text) + "&revision=" + encodeURIComponent(st.revision);
    st.inflight = window.fetch(st.url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: shared.requestHeaders("POST", {
        "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
        "Accept": "application/json"
      }),
      body: body
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 401) { return { kind: "login" }; }
      if (response.status >= 500) { return { kind: "server" }; }
      return response.json().then(function (data) {
        return { kind: "answer", status: response.status, data: data };
      }, function () { return { kind: "server" }; });
    }, function () {
      return { kind: "network" };
    }).then(function (result) {
      st.inflight = null;
      answered(st, text, result);
      if (st.again || (result.kind === "answer" && result.status === 200 && st.text !== st.confirmed)) {
        schedule(st, st.again ? 50 : IDLE_MS);
      }
    });
    render(st);
    return st.inflight;
  }

  function answered(st, text, result) {
    if (result.kind !== "answer") {
      st.offline = result.kind === "network" ? "network" : result.kind;
      // The server may have saved it all the same (only its answer was lost).
      st.unanswered = (st.unanswered || []).concat([text]).slice(-5);
      render(st);
      return;
    }
    var data = result.data || {};
    st.offline = false;
    if (result.status === 200) {
      st.revision = Number(data.revision) || 0;
      st.confirmed = text;
      st.savedAt = data.saved_at ? Date.parse(data.saved_at) : Date.now();
      st.error = null;
      st.unanswered = [];
      var kept = readKept(st.key);
      if (kept && kept.text === text) { dropKept(st.key); } else if (kept) { writeKept(st); }
      conclusionMark(st);
    } else if (result.status === 409 && data.error === "note_conflict") {
      var current = normal(data.current);
      var ours = (st.unanswered || []).some(function (t) { return normal(t) === current; });
      if (ours) {
        // The "other screen" was this one: an earlier save went through but its answer was lost.
        // Go on from there with what the box holds now.
        st.revision = Number(data.revision) || 0;
        st.confirmed = data.current || "";
        st.unanswered = [];
        st.again = true;
      } else {
        st.conflict = { current: data.current || "", revision: Number(data.revision) || 0, message: data.message };
      }
    } else if (result.status === 404) {
      // Its remark or item is gone (deleted, or a database set up again): nothing to save it to.
      setAside(st.key, text);
      dropKept(st.key);
      delete states[st.key];
      if (st.el) { st.el.value = st.confirmed || ""; }
      renderPending();
      return;
    } else {
      st.error = { code: data.error || "error", message: data.message || msg("server") };
    }
    render(st);
  }

  // The programme marks items with a conclusion; our own save shows at once.
  function conclusionMark(st) {
    if (st.key.indexOf("item-") !== 0) { return; }
    var row = document.querySelector('#desk-programme [data-item="' + st.key.slice(5) + '"] .desk-has-concl');
    if (row) { row.hidden = !st.confirmed.trim(); }
  }

  function resolveConflict(st, choice) {
    if (!st || !st.conflict) { return; }
    var c = st.conflict;
    st.conflict = null;
    st.revision = c.revision;
    if (choice === "theirs") {
      setAside(st.key, st.text);  // what she had typed is set aside, not thrown away
      st.text = st.confirmed = c.current;
      st.savedAt = Date.now();
      if (st.el) { st.el.value = c.current; autogrow(st.el); }
      dropKept(st.key);
      render(st);
    } else {
      writeKept(st);
      save(st);
    }
  }

  function retryAll(includeErrors) {
    for (var k in states) {
      if (!states.hasOwnProperty(k)) { continue; }
      var st = states[k];
      if (!unsaved(st) || st.inflight || st.conflict) { continue; }
      if (st.offline || (includeErrors && st.error)) {
        if (includeErrors) { st.error = null; }
        save(st);
      }
    }
  }

  function flushAll() {
    var waits = [];
    for (var k in states) {
      if (!states.hasOwnProperty(k)) { continue; }
      var st = states[k];
      if (st.inflight) { waits.push(st.inflight); } else if (unsaved(st) && !st.conflict && !st.error) { waits.push(save(st)); }
    }
    return Promise.all(waits).then(function () {
      // a save that was asked again while in flight
      var more = [];
      for (var k2 in states) { if (states.hasOwnProperty(k2) && states[k2].inflight) { more.push(states[k2].inflight); } }
      return Promise.all(more);
    });
  }

  // Texts kept from an earlier visit whose box is not on this page: sent on their own.
  function loadKept() {
    keptKeys().forEach(function (key) {
      if (states[key]) { return; }
      var kept = readKept(key);
      if (!kept || !kept.url) { dropKept(key); return; }
      states[key] = { key: key, url: kept.url, item: kept.item, label: kept.label, revision: Number(kept.revision) || 0,
                      confirmed: null, text: kept.text, el: null };
      schedule(states[key], 100);
    });
  }

  /* ---- the finalized lock ----------------------------------------------- */
  function applyFinal(final) {
    var wasLocked = locked;
    locked = final;
    root.classList.toggle("is-final", final);
    var banner = document.getElementById("desk-final-banner");
    if (banner) { banner.hidden = !final; }
    var boxes = root.querySelectorAll("textarea[data-desk-box]");
    for (var i = 0; i < boxes.length; i++) { boxes[i].readOnly = final; }
    var sets = root.querySelectorAll("fieldset[data-desk-lock]");
    for (var j = 0; j < sets.length; j++) { sets[j].disabled = final; }
    var badge = root.querySelector('[data-badge="final"]');
    if (badge) { badge.hidden = !final; }
    if (wasLocked && !final) { retryAll(true); }
  }

  /* ---- what the main pane shows ----------------------------------------- */
  var view = parseShow(root.getAttribute("data-open"));
  var follow = root.getAttribute("data-follow") === "1";
  var actedSig = {};   // item -> the programme digest the pane was last fetched for
  var loading = null;  // {item, again}

  function parseShow(value) {
    var m = /^item-(\d+)$/.exec(value || "");
    if (m) { return { kind: "item", item: m[1] }; }
    if (value === "closing" || value === "documents") { return { kind: value, item: null }; }
    var pane = document.getElementById("desk-item");
    return { kind: "item", item: pane ? pane.getAttribute("data-item") : null };
  }

  function programme() { return document.getElementById("desk-programme"); }

  function currentItem() {
    var p = programme();
    return p ? (p.getAttribute("data-current") || null) : null;
  }

  function paneBusy() {
    var pane = document.getElementById("desk-item");
    if (!pane) { return false; }
    var active = document.activeElement;
    if (active && active.tagName === "TEXTAREA" && pane.contains(active)) { return true; }
    var boxes = pane.querySelectorAll("textarea[data-desk-box]");
    for (var i = 0; i < boxes.length; i++) {
      var st = states[boxes[i].getAttribute("data-key")];
      if (st && (unsaved(st) || st.inflight)) { return true; }
    }
    return false;
  }

  function remember() {
    var url = new URL(window.location.href);
    if (follow) { url.searchParams.delete("show"); } else {
      url.searchParams.set("show", view.kind === "item" ? "item-" + view.item : view.kind);
    }
    window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
  }

  function showSection(kind) {
    view = { kind: kind, item: kind === "item" ? view.item : null };
    if (kind !== "item") { follow = false; }
    document.getElementById("desk-view-item").hidden = kind !== "item";
    document.getElementById("desk-view-closing").hidden = kind !== "closing";
    document.getElementById("desk-view-documents").hidden = kind !== "documents";
    remember();
    sync();
  }

  function showItem(itemId, byUser) {
    if (!itemId) { return; }
    if (byUser) { follow = String(itemId) === String(currentItem()); }
    view = { kind: "item", item: String(itemId) };
    document.getElementById("desk-view-item").hidden = false;
    document.getElementById("desk-view-closing").hidden = true;
    document.getElementById("desk-view-documents").hidden = true;
    var pane = document.getElementById("desk-item");
    if (!pane || pane.getAttribute("data-item") !== String(itemId)) { loadPane(String(itemId), !byUser); }
    remember();
    sync();
    if (byUser) { window.scrollTo(0, 0); }
  }

  // `auto`: the pane moves on by itself with the chair, so it does not if writing has begun in the
  // pane it would replace.
  function loadPane(itemId, auto) {
    if (loading && loading.item === itemId) { loading.again = true; return; }
    var request = loading = { item: itemId, again: false };
    var sig = rowSig(itemId);
    window.fetch(root.getAttribute("data-item-url") + itemId, {
      credentials: "same-origin",
      headers: shared.requestHeaders("GET", { "Accept": "text/html" })
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      if (loading !== request) { return; }
      loading = null;
      if (view.kind !== "item" || view.item !== itemId) { return; }
      var shown = document.getElementById("desk-item");
      if (auto && shown && shown.getAttribute("data-item") !== itemId && paneBusy()) {
        view = { kind: "item", item: shown.getAttribute("data-item") };
        follow = false;
        remember();
        sync();
        return;
      }
      if (sig) { actedSig[itemId] = sig; }
      merge(html);
      if (request.again) { loadPane(itemId, false); }
    }).catch(function () {
      if (loading === request) { loading = null; }
      actedSig[itemId] = null; // try again on the next push or reconnect
      var pane = document.getElementById("desk-item");
      if (pane && pane.getAttribute("data-item") !== itemId) {
        pane.classList.add("is-stale");
        shared.flash("error", msg("load-failed"));
      }
    });
  }

  function rowSig(itemId) {
    var p = programme();
    var row = p && p.querySelector('[data-item="' + itemId + '"]');
    return row ? row.getAttribute("data-sig") : null;
  }

  // Put a fresh pane in: a different item replaces the pane; the same item is merged part by
  // part, never touching a text box.
  // By hand, not with an htmx swap: htmx 2 has no morph swap (idiomorph is a separate library),
  // and neither a morph nor hx-preserve keeps all of this. A box keeps the text being typed or
  // waiting to be saved, yet takes the server's newer text when nothing of ours waits (refreshBox;
  // hx-preserve would never take it, a morph would take it over the secretary's); a row missing
  // from the fresh pane stays with its box (a swap would drop it); a new remark goes in beside the
  // rows already there, which are never moved or rebuilt; a change of the item's kind rebuilds
  // the pane only when nobody is writing in it.
  function merge(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html.trim();
    var fresh = tpl.content.querySelector("#desk-item");
    var pane = document.getElementById("desk-item");
    if (!fresh || !pane) { return; }
    if (pane.getAttribute("data-item") !== fresh.getAttribute("data-item")) {
      pane.replaceWith(fresh);
      unbindGone();
      bindAll(fresh);
      afterMerge(fresh);
      return;
    }
    var oldList = pane.querySelector("#desk-remarks");
    var freshList = fresh.querySelector("#desk-remarks");
    if (!!oldList !== !!freshList) { // the item's kind changed: rebuild, keeping nothing typed
      if (paneBusy()) { return; }
      pane.replaceWith(fresh);
      unbindGone();
      bindAll(fresh);
      afterMerge(fresh);
      return;
    }
    var added = [];
    if (freshList) {
      var placed = null;
      var rows = Array.prototype.slice.call(freshList.children);
      rows.forEach(function (row) {
        var old = document.getElementById(row.id);
        if (!old) {
          if (placed) { placed.after(row); } else { oldList.prepend(row); }
          added.push(row);
          placed = row;
        } else {
          var box = row.querySelector("textarea[data-desk-box]");
          if (box) { refreshBox(box); }
          placed = old;
        }
      });
    }
    var parts = fresh.querySelectorAll("[data-part][id]");
    for (var i = 0; i < parts.length; i++) {
      var old = document.getElementById(parts[i].id);
      if (old && old !== parts[i]) { old.replaceWith(parts[i]); }
    }
    var concl = fresh.querySelector(".desk-concl textarea[data-desk-box]");
    if (concl) { refreshBox(concl); }
    pane.setAttribute("data-sig", fresh.getAttribute("data-sig") || "");
    pane.className = fresh.className;
    added.forEach(function (row) { bindAll(row); });
    afterMerge(pane);
  }

  // The server's newer text for a box already on the page, taken only if nothing of ours waits
  // and nobody is typing in it.
  function refreshBox(fresh) {
    var st = states[fresh.getAttribute("data-key")];
    if (!st || !st.el) { return; }
    var rev = Number(fresh.getAttribute("data-revision")) || 0;
    if (rev <= st.revision || unsaved(st) || st.inflight || document.activeElement === st.el) { return; }
    st.revision = rev;
    st.text = st.confirmed = fresh.value;
    st.savedAt = Number(fresh.getAttribute("data-saved-at")) || st.savedAt;
    st.el.value = fresh.value;
    autogrow(st.el);
    render(st);
  }

  function afterMerge(scope) {
    if (window.htmx) { window.htmx.process(scope); }
    sync();
  }

  /* ---- keeping in step with the pushed regions -------------------------- */
  var syncing = false;

  function sync() {
    var current = currentItem();
    var p = programme();
    // Follow the chair, unless writing in the pane: then stay, and say the meeting moved on.
    if (follow && current && (view.kind !== "item" || view.item !== current)) {
      if (view.kind === "item" && paneBusy()) {
        follow = false;
        remember();
      } else {
        showItem(current, false);
        return;
      }
    }
    var elsewhere = document.getElementById("desk-elsewhere");
    var away = !follow && current && !(view.kind === "item" && view.item === current);
    var itemRows = p ? p.querySelectorAll("[data-item]") : [];
    var last = itemRows.length ? itemRows[itemRows.length - 1].getAttribute("data-item") : null;
    if (view.kind === "closing" && current === last) { away = false; } // the closing conclusion's own item
    if (elsewhere) {
      elsewhere.hidden = !away;
      if (away) {
        var row = p && p.querySelector('[data-item="' + current + '"]');
        var now = elsewhere.querySelector(".desk-elsewhere-now");
        var label = msg("now") + " " + (row ? row.getAttribute("data-label") : "");
        if (now.textContent !== label) { now.textContent = label; }
      }
    }
    if (p) {
      var rows = p.querySelectorAll("[data-item]");
      for (var i = 0; i < rows.length; i++) {
        var on = view.kind === "item" && rows[i].getAttribute("data-item") === view.item;
        rows[i].classList.toggle("is-selected", on);
      }
    }
    var navs = root.querySelectorAll(".desk-nav[data-show]");
    for (var j = 0; j < navs.length; j++) {
      navs[j].classList.toggle("is-selected", navs[j].getAttribute("data-show") === view.kind);
    }
    // The pane of the item shown: fetched again when what it shows has changed.
    if (view.kind === "item" && view.item) {
      var sig = rowSig(view.item);
      var pane = document.getElementById("desk-item");
      if (sig && pane && pane.getAttribute("data-item") === view.item &&
          sig !== pane.getAttribute("data-sig") && sig !== actedSig[view.item]) {
        actedSig[view.item] = sig;
        loadPane(view.item, false);
      }
    }
    var fin = document.getElementById("desk-final");
    var final = !!fin && fin.getAttribute("data-final") === "1";
    if (final !== locked || root.classList.contains("is-final") !== final) { applyFinal(final); }
    var pub = document.getElementById("desk-publish");
    var badge = root.querySelector('[data-badge="published"]');
    if (badge) { badge.hidden = !(pub && pub.getAttribute("data-published") === "1"); }
  }

  function queueSync() {
    if (syncing) { return; }
    syncing = true;
    window.setTimeout(function () { syncing = false; sync(); }, 0);
  }

  /* ---- events ------------------------------------------------------------ */
  root.addEventListener("click", function (evt) {
    var t = evt.target.closest("[data-show-item], [data-show], [data-back], [data-conflict], [data-open-dialog], [data-close-dialog]");
    if (!t || !root.contains(t)) { return; }
    if (t.hasAttribute("data-show-item")) {
      showItem(t.getAttribute("data-show-item"), true);
    } else if (t.hasAttribute("data-show")) {
      showSection(t.getAttribute("data-show"));
      window.scrollTo(0, 0);
    } else if (t.hasAttribute("data-back")) {
      follow = true;
      var current = currentItem();
      if (current) { showItem(current, true); } else { showSection("item"); }
      window.scrollTo(0, 0);
    } else if (t.hasAttribute("data-conflict")) {
      var wrap = t.closest(".desk-box");
      var box = wrap && wrap.querySelector("textarea[data-desk-box]");
      resolveConflict(box && states[box.getAttribute("data-key")], t.getAttribute("data-conflict"));
    } else if (t.hasAttribute("data-open-dialog")) {
      var dialog = document.getElementById(t.getAttribute("data-open-dialog"));
      if (dialog && dialog.showModal) { dialog.showModal(); }
    } else if (t.hasAttribute("data-close-dialog")) {
      var d = t.closest("dialog");
      if (d) { d.close(); }
    }
  });

  // Publishing and finalizing act on what is saved: save every box first, then ask.
  document.addEventListener("htmx:confirm", function (evt) {
    var elt = evt.detail && evt.detail.elt;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-desk-flush")) { return; }
    evt.preventDefault();
    flushAll().then(function () {
      if (pendingStates().length) { window.alert(msg("unsaved-first")); return; }
      var question = elt.getAttribute("data-desk-confirm");
      if (question && !window.confirm(question)) { return; }
      evt.detail.issueRequest(true);
    });
  });

  // Downloads read what is saved: save first.
  root.addEventListener("click", function (evt) {
    var a = evt.target.closest("a[data-desk-download]");
    if (!a || !pendingStates().length) { return; }
    evt.preventDefault();
    flushAll().then(function () {
      if (a.target === "_blank") { window.open(a.href, "_blank", "noopener"); } else { window.location.href = a.href; }
    });
  });

  // (Before the swap: the form that asked is replaced, and events on it no longer reach here.)
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var elt = evt.detail && evt.detail.elt;
    if (elt && elt.id === "desk-reopen-form" && evt.detail.xhr && evt.detail.xhr.status === 200) {
      var dialog = document.getElementById("desk-reopen-dialog");
      if (dialog && dialog.open) { dialog.close(); }
    }
  });

  window.addEventListener("beforeunload", function (evt) {
    if (pendingStates().length) {
      evt.preventDefault();
      evt.returnValue = msg("leave");
      return evt.returnValue;
    }
  });

  window.addEventListener("online", function () { retryAll(false); });
  window.setInterval(function () { retryAll(false); }, RETRY_MS);

  // Pushed regions are swapped in by live.js: look at them after every change of the page.
  // (Elements only: the timers' ticking changes text, which needs nothing here.)
  new window.MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var nodes = records[i].addedNodes;
      for (var j = 0; j < nodes.length; j++) {
        if (nodes[j].nodeType === 1) { queueSync(); return; }
      }
    }
  }).observe(root, { childList: true, subtree: true });

  function start() {
    bindAll(root);
    loadKept();
    var live = window.meetingdayLive;
    if (live && live.socket) { live.socket.on("connect", function () { retryAll(false); }); }
    sync();
    renderPending();
  }

  // Deferred like live.js, which runs after this file: DOMContentLoaded comes after both.
  if (document.readyState === "complete") { start(); } else { document.addEventListener("DOMContentLoaded", start); }

  window.meetingdayDesk = {
    states: states, flush: flushAll,
    pending: function () { return pendingStates().length; },
    view: function () { return { kind: view.kind, item: view.item, follow: follow, locked: locked }; },
    busy: function () { // a save or a pane under way
      if (loading) { return true; }
      for (var k in states) { if (states.hasOwnProperty(k) && (states[k].inflight || states[k].timer)) { return true; } }
      return false;
    }
  };
})();
