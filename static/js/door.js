/*
 * meetingday — door.js: the door screen's scanner.
 *
 * Reads personal QR codes from the camera (jsQR, vendored) or from a handheld scanner that
 * types the link and Enter into #scan-input. Every scan is first stored on this device
 * (localStorage, with a client nonce and the scan time), then sent, over the screen's live
 * connection (the door:scan event) while it is connected, else as a POST; it leaves the store
 * only when the server has answered it (an outcome: the acknowledgement's, or a response
 * carrying X-Checkin-Outcome). Scans made while
 * the network is down wait there, the screen says how many, and they are sent when it returns:
 * none lost, and none doubled (the server answers a known nonce with the first check-in).
 * A scan sent at once is timed by the server; only a scan that waited in the queue carries
 * its scan time (scanned_at, in the server's clock). A queued scan the server does not answer
 * (an error page, a proxy) goes to the back of the queue and waits longer each time, so the
 * scans behind it are still sent. A 503 is the server saying its database does not answer: the
 * screen says so (not "no network") and keeps the scans the same way. Times are shown in Asia/Ho_Chi_Minh (UTC+7, no DST).
 * A tap on "Điểm danh" in the search list goes the same way (its own link, no code). While the
 * network is down, the search looks in this page's copy of the list (GET .../door/people,
 * fetched on opening and every minute while online, kept in memory only), as the server's
 * search does; a tap there waits in the queue with the scans.
 * Plain ES5 for older Android tablets.
 */
(function () {
  "use strict";

  var root = document.getElementById("door");
  if (!root) { return; }
  var shared = window.meetingday;

  var scanUrl = root.getAttribute("data-scan-url");
  var meetingId = Number(document.body.getAttribute("data-live-meeting"));
  var queueKey = root.getAttribute("data-queue-key");
  var offlineBox = document.getElementById("door-offline");
  var logList = document.getElementById("door-log");
  var form = document.getElementById("scan-form");
  var input = document.getElementById("scan-input");
  var serverNow = parseInt(document.body.getAttribute("data-server-now") || "0", 10);
  var clockOffset = serverNow ? serverNow - Date.now() : 0;  // this device's clock vs the server's
  var inflight = {};
  var offline = navigator.onLine === false;
  var needsLogin = false;
  var unavailable = false;  // the server answered 503: it cannot record scans just now
  var memoryQueue = [];  // if localStorage is unavailable (private mode), at least keep them here
  var SAME_CODE_MS = 3000;  // the same code is read again only after this long out of view
  var lastCode = null;
  var lastCodeAt = 0;
  var RETRY_MS = 2000;       // first wait after a scan the server did not answer; doubles each time
  var RETRY_MAX_MS = 60000;
  var initial = document.getElementById("door-result");
  var readyResult = initial && initial.getAttribute("data-outcome") === "idle" ? initial.cloneNode(true) : null;

  // A message of the page (data-msg-*), with {n}, {t} or {q} filled in.
  function msg(name, n, values) {
    values = values || {};
    values.n = String(n);
    return (root.getAttribute("data-msg-" + name) || "").replace(/\{([ntq])\}/g, function (all, key) {
      return values.hasOwnProperty(key) ? values[key] : all;
    });
  }

  // Our own requests carry the page's language and, unless a GET, the CSRF token (common.js).
  function setHeaders(xhr, verb, headers) {
    headers = shared.requestHeaders(verb, headers);
    for (var name in headers) {
      if (headers.hasOwnProperty(name)) { xhr.setRequestHeader(name, headers[name]); }
    }
  }

  function newNonce() {
    var bytes = new Uint8Array(16);
    var out = "";
    var i;
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (i = 0; i < bytes.length; i++) { bytes[i] = Math.floor(Math.random() * 256); }
    }
    for (i = 0; i < bytes.length; i++) { out += ("0" + bytes[i].toString(16)).slice(-2); }
    return out;
  }

  /* ---- the queue on this device ------------------------------------------ */
  function loadQueue() {
    try {
      var raw = window.localStorage.getItem(queueKey);
      return raw ? JSON.parse(raw) : [];
    } catch (e) {
      return memoryQueue.slice();
    }
  }

  function saveQueue(queue) {
    memoryQueue = queue.slice();
    try { window.localStorage.setItem(queueKey, JSON.stringify(queue)); } catch (e) { /* memory only */ }
  }

  function enqueue(item) {
    var queue = loadQueue();
    for (var i = 0; i < queue.length; i++) {
      if (queue[i].nonce === item.nonce) { return false; }  // a second tap on the same button
    }
    queue.push(item);
    saveQueue(queue);
    return true;
  }

  // A queued scan the server did not answer: to the back of the queue, tried again later.
  function postpone(nonce) {
    var queue = loadQueue();
    var kept = [];
    var item = null;
    for (var i = 0; i < queue.length; i++) {
      if (queue[i].nonce === nonce) { item = queue[i]; } else { kept.push(queue[i]); }
    }
    if (!item) { return; }
    item.tries = (item.tries || 0) + 1;
    item.next = Date.now() + Math.min(RETRY_MAX_MS, RETRY_MS * Math.pow(2, item.tries - 1));
    kept.push(item);
    saveQueue(kept);
  }

  function dequeue(nonce) {
    var queue = loadQueue();
    var kept = [];
    for (var i = 0; i < queue.length; i++) {
      if (queue[i].nonce !== nonce) { kept.push(queue[i]); }
    }
    saveQueue(kept);
  }

  function updateStatus() {
    var waiting = loadQueue().length;
    if (!waiting) {
      offlineBox.hidden = true;
      offlineBox.textContent = "";
      return;
    }
    offlineBox.hidden = false;
    offlineBox.className = "door-offline";
    if (offline) {
      offlineBox.textContent = msg("offline", waiting);
    } else if (needsLogin) {
      offlineBox.textContent = msg("relogin", waiting);
    } else if (unavailable) {
      offlineBox.textContent = msg("unavailable", waiting);
    } else {
      offlineBox.className = "door-offline is-sending";
      offlineBox.textContent = msg("pending", waiting);
    }
  }

  /* ---- showing answers ------------------------------------------------------ */
  function addLog(outcome, text, atMs, nonce) {
    if (!logList) { return; }
    // A scan that waited on this device: its "saved" line becomes its answer.
    var li = nonce ? logList.querySelector('li[data-nonce="' + nonce + '"]') : null;
    if (li) {
      li.className = "log-" + outcome;
      li.lastChild.textContent = text;
      return;
    }
    li = document.createElement("li");
    li.className = "log-" + outcome;
    if (nonce) { li.setAttribute("data-nonce", nonce); }
    var time = document.createElement("span");
    time.className = "log-time";
    time.textContent = shared.vnTime(atMs);
    var body = document.createElement("span");
    body.textContent = text;
    li.appendChild(time);
    li.appendChild(body);
    logList.insertBefore(li, logList.firstChild);
    while (logList.children.length > 12) { logList.removeChild(logList.lastChild); }
  }

  function parse(html) {
    var box = document.createElement("div");
    box.innerHTML = html;
    return box;
  }

  // A person's row sent with the answer (hx-swap-oob), put in place of the one on the screen.
  function swapRows(box) {
    var rows = box.querySelectorAll("[hx-swap-oob]");
    for (var i = 0; i < rows.length; i++) {
      var old = rows[i].id && document.getElementById(rows[i].id);
      rows[i].removeAttribute("hx-swap-oob");
      if (old) {
        old.parentNode.replaceChild(rows[i], old);
        if (window.htmx) { window.htmx.process(rows[i]); }
      }
    }
  }

  function summary(el) {
    if (!el) { return ""; }
    var name = el.querySelector(".result-name");
    var reason = el.querySelector(".result-reason");
    var head = el.querySelector(".result-head");
    return ((name && name.textContent) || (reason && reason.textContent) || (head && head.textContent) || "")
      .replace(/\s+/g, " ").replace(/^\s+|\s+$/g, "");
  }

  function showResult(el) {
    var current = document.getElementById("door-result");
    if (current && el) { current.parentNode.replaceChild(el, current); }
    logged = el;
  }

  function showPending(item) {
    var el = document.createElement("div");
    el.id = "door-result";
    el.className = "door-result result-pending";
    el.setAttribute("role", "status");
    el.setAttribute("data-outcome", "pending");
    el.setAttribute("data-nonce", item.nonce);
    var head = document.createElement("p");
    head.className = "result-head";
    head.textContent = msg(unavailable ? "saved-unavailable" : "saved");
    el.appendChild(head);
    if (item.name) {  // a tap in the search list: who it was for
      var name = document.createElement("p");
      name.className = "result-name";
      name.textContent = item.name;
      el.appendChild(name);
    }
    showResult(el);
    addLog("pending", (item.name ? item.name + " — " : "") + head.textContent, item.at, item.nonce);
    if (item.url) { markQueued(item); }
  }

  // Every waiting scan has been answered (their lines in the log now say how): the screen is
  // ready again, and says how many were sent.
  var sentLater = 0;
  function readyIfDrained() {
    if (loadQueue().length) { return; }
    var current = document.getElementById("door-result");
    var shown = current && current.getAttribute("data-outcome");
    if (readyResult && (shown === "pending" || (shown === "idle" && sentLater))) {
      var ready = readyResult.cloneNode(true);
      var meta = ready.querySelector(".result-meta");
      if (meta && sentLater) { meta.textContent = msg("drained", sentLater); }
      showResult(ready);
    }
    sentLater = 0;
  }

  /* ---- sending ---------------------------------------------------------------- */
  // A scan goes over the screen's live connection (Socket.IO, the door:scan event) while that is
  // connected: no new HTTP request per scan, so a rush at the door is answered faster. Otherwise,
  // and for a tap in the search list, it is a POST. Both answer the same way (outcome, status, the
  // #door-result fragment); a scan that is not answered stays queued and is sent again later,
  // with its nonce, so the server never counts it twice.
  // live: the scan was just made and is sent at once (the server takes its own time for it);
  // otherwise it waited in the queue and carries the time it was scanned.
  function send(item, live) {
    if (inflight[item.nonce]) { return; }
    inflight[item.nonce] = true;
    var socket = window.meetingdayLive && window.meetingdayLive.socket;
    if (item.code && socket && socket.connected) {
      socket.timeout(10000).emit("door:scan", {
        meeting: meetingId, code: item.code, nonce: item.nonce, scanned_at: live ? null : item.at
      }, function (err, answer) {
        if (err || !answer) {
          // Still connected: the server failed on this one (as a POST's error page would say).
          if (socket.connected) { settle(item, live, null, "", 500, false); } else { unanswered(item, live); }
          return;
        }
        settle(item, live, answer.outcome, answer.html || "", answer.status || 0, false);
      });
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", item.url || scanUrl, true);
    setHeaders(xhr, "POST", {
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Requested-With": "XMLHttpRequest",
      "Accept": "text/html"
    });
    xhr.timeout = 10000;
    xhr.onload = function () {
      settle(item, live, xhr.getResponseHeader("X-Checkin-Outcome"), xhr.responseText, xhr.status,
             /\/login/.test(xhr.responseURL || ""));
    };
    xhr.onerror = xhr.ontimeout = function () { unanswered(item, live); };
    var body = (item.code ? "code=" + encodeURIComponent(item.code) + "&" : "") +
      "nonce=" + encodeURIComponent(item.nonce);
    if (!live) { body += "&scanned_at=" + encodeURIComponent(String(item.at)); }
    xhr.send(body);
  }

  // No answer at all (the network, a timeout): the scan waits on this device.
  function unanswered(item, live) {
    delete inflight[item.nonce];
    offline = true;
    unavailable = false;
    updateStatus();
    if (live) { showPending(item); }
  }

  // The server's answer. Without an outcome the check-in did not answer (signed out, a proxy, a
  // crash): the scan is kept for later.
  function settle(item, live, outcome, html, status, toLogin) {
    delete inflight[item.nonce];
    if (!outcome) {
      needsLogin = status === 400 || status === 401 || status === 403 || toLogin;
      offline = status === 0;
      unavailable = status === 503;
      updateStatus();
      if (live) { showPending(item); }
      if (!offline && !needsLogin) {
        // This one fails on the server: let the scans behind it go first.
        postpone(item.nonce);
        drain();
      }
      return;
    }
    dequeue(item.nonce);
    offline = false;
    needsLogin = false;
    unavailable = false;
    var box = parse(html);
    var el = box.querySelector("#door-result");
    swapRows(box);
    if (live) { showResult(el); }
    addLog(outcome, summary(el), item.at, item.nonce);
    if (item.url) { answered(item, outcome); }
    updateStatus();
    if (!live) { sentLater += 1; readyIfDrained(); }
    drain();
  }

  // Send the first waiting scan that is not on its way and not waiting for a retry.
  function drain() {
    var queue = loadQueue();
    var now = Date.now();
    for (var i = 0; i < queue.length; i++) {
      if (!inflight[queue[i].nonce] && !(queue[i].next > now)) { send(queue[i], false); return; }
    }
  }

  function submitCode(code) {
    code = String(code || "").replace(/^\s+|\s+$/g, "");
    if (!code) { return; }
    var now = Date.now();
    if (code === lastCode && now - lastCodeAt < SAME_CODE_MS) {
      lastCodeAt = now;  // still in front of the camera: one scan, however long it is held there
      return;
    }
    lastCode = code;
    lastCodeAt = now;
    var item = { code: code.slice(0, 400), nonce: newNonce(), at: now + clockOffset };
    enqueue(item);  // kept on the device before it leaves: nothing is lost if the network drops
    updateStatus();
    send(item, true);
  }

  /* ---- handheld scanner: types the link and Enter -------------------------------- */
  if (form && input) {
    form.addEventListener("submit", function (evt) {
      evt.preventDefault();
      var code = input.value;
      input.value = "";
      lastCode = null;  // a deliberate entry is always sent
      submitCode(code);
      input.focus();
    });
  }

  // Keep the scanner field focused, unless staff are typing somewhere else. Without scrolling:
  // with the camera on the field is below the fold of a tablet, and the answer and the camera
  // at the top must stay in view (a handheld scanner types into a field it cannot see).
  function refocus() {
    var active = document.activeElement;
    var typing = active && active !== input && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
    if (input && !typing && !document.querySelector("details.undo[open]")) { input.focus({ preventScroll: true }); }
  }
  // Answers to a tap in the search list (htmx) go in the log too.
  var logged = document.getElementById("door-result");
  document.addEventListener("htmx:afterSettle", function () {
    var el = document.getElementById("door-result");
    var outcome = el && el.getAttribute("data-outcome");
    if (el && el !== logged && outcome && outcome !== "idle" && outcome !== "pending") {
      addLog(outcome, summary(el), Date.now() + clockOffset);
    }
    logged = el;
  });

  // Check-in has just been opened (here or on another screen): a red "not open yet" from before
  // is no longer the answer to show.
  var windowState = (document.getElementById("checkin-window") || { getAttribute: function () { return ""; } })
    .getAttribute("data-state");
  document.addEventListener("htmx:load", function (evt) {
    var el = evt.target;
    if (!el || el.id !== "checkin-window") { return; }
    var state = el.getAttribute("data-state");
    var current = document.getElementById("door-result");
    if (state === "open" && windowState !== "open" && readyResult && current &&
        current.getAttribute("data-outcome") === "error") {
      showResult(readyResult.cloneNode(true));
    }
    windowState = state;
  });

  /* ---- the search list: taps through the queue, and a copy of the list for offline ---------- */
  var peopleUrl = root.getAttribute("data-people-url");
  var people = null;      // the copy of the list: [{id, name, detail, search, here, tags, stand_in, url}]
  var peopleAt = 0;       // when the server read it (server ms)
  var queuedPeople = {};  // person id -> the nonce of a tap that waits on this device
  var SEARCH_LIMIT = 30;  // as the server's search

  function loadPeople() {
    if (!peopleUrl || navigator.onLine === false) { return; }
    var xhr = new XMLHttpRequest();
    xhr.open("GET", peopleUrl, true);
    setHeaders(xhr, "GET", { "Accept": "application/json" });
    xhr.timeout = 15000;
    xhr.onload = function () {
      if (xhr.status !== 200) { return; }
      try {
        var data = JSON.parse(xhr.responseText);
        if (data.at >= peopleAt) {  // an older answer that arrives late does not replace a newer one
          people = data.people;
          peopleAt = data.at;
        }
      } catch (e) { /* a login page instead of the list: keep the copy there is */ }
    };
    xhr.send();
  }

  function personId(item) {
    var m = /\/people\/(\d+)\//.exec(item.url || "");
    return m ? m[1] : null;
  }

  function checkinButton(url, name) {
    var button = element("button", "btn btn-primary btn-big", msg("checkin"));
    button.type = "button";
    button.setAttribute("data-checkin-button", "");
    button.setAttribute("data-checkin-url", url);
    button.setAttribute("data-nonce", newNonce());
    button.setAttribute("data-name", name);
    return button;
  }

  function tap(button) {
    var item = { url: button.getAttribute("data-checkin-url"), nonce: button.getAttribute("data-nonce") || newNonce(),
                 at: Date.now() + clockOffset, name: button.getAttribute("data-name") || "" };
    button.disabled = true;
    if (!enqueue(item)) { return; }  // already on its way
    updateStatus();
    send(item, true);
  }

  document.addEventListener("click", function (evt) {
    var button = evt.target && evt.target.closest ? evt.target.closest("[data-checkin-button]") : null;
    if (!button || !root.contains(button) || button.disabled) { return; }
    evt.preventDefault();
    tap(button);
  });

  function buttonFor(item) {
    return root.querySelector('[data-checkin-button][data-nonce="' + item.nonce + '"]');
  }

  // The tap waits on this device: its row says so, and the list found offline shows it too.
  function markQueued(item) {
    var id = personId(item);
    if (id) { queuedPeople[id] = item.nonce; }
    var button = buttonFor(item);
    if (button) {
      var badge = element("span", "badge badge-warn", msg("queued"));
      badge.setAttribute("data-queued", item.nonce);
      button.parentNode.replaceChild(badge, button);
    }
  }

  // The server has answered a tap. Checked in (now or before): the copy of the list says so.
  // Refused: the row on the screen was not replaced, so it offers the tap again.
  function answered(item, outcome) {
    var id = personId(item);
    if (id) { delete queuedPeople[id]; }
    for (var i = 0; people && outcome === "ok" && i < people.length; i++) {
      if (String(people[i].id) === id) { people[i].here = shared.vnTime(item.at); }
    }
    if (outcome === "repeat") { loadPeople(); }  // here since earlier: the list has the time
    var button = buttonFor(item);
    if (button) { button.disabled = false; }
    var badge = root.querySelector('[data-queued="' + item.nonce + '"]');
    if (badge) { badge.parentNode.replaceChild(checkinButton(item.url, item.name), badge); }
    // Refused: the rows found may be out of date (a dự thay came meanwhile); ask the server again.
    if (outcome === "error" && searchBox && searchBox.value && window.htmx) {
      window.htmx.trigger(searchBox, "search");
    }
  }

  (function () {  // taps that waited on this device before a reload
    var queue = loadQueue();
    for (var i = 0; i < queue.length; i++) {
      var id = personId(queue[i]);
      if (id) { queuedPeople[id] = queue[i].nonce; }
    }
  }());

  function fold(text) {
    text = String(text || "").replace(/đ/g, "d").replace(/Đ/g, "D");
    if (text.normalize) { text = text.normalize("NFD"); }
    return text.replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").replace(/^ | $/g, "").toLowerCase();
  }

  // As invitees.search: the words as a phrase first; only if nothing matches, every word alone.
  function findPeople(query) {
    var words = fold(query).split(" ");
    if (!words[0]) { return []; }
    function having(terms) {
      var found = [];
      for (var i = 0; i < people.length && found.length < SEARCH_LIMIT; i++) {
        var all = true;
        for (var j = 0; j < terms.length; j++) {
          if (people[i].search.indexOf(terms[j]) < 0) { all = false; break; }
        }
        if (all) { found.push(people[i]); }
      }
      return found;
    }
    var found = having([words.join(" ")]);
    return found.length || words.length < 2 ? found : having(words);
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text) { el.textContent = text; }
    return el;
  }

  function localRow(p) {
    var li = element("li", "person-row is-local" + (p.here ? " is-present" : ""));
    li.id = "person-" + p.id;
    var info = element("div", "person-info");
    info.appendChild(element("span", "person-name", p.name));
    info.appendChild(element("span", "person-position", p.detail));
    var tags = element("span", "person-tags");
    if (p.here) { tags.appendChild(element("span", "badge badge-ok", msg("here", 0, { t: p.here }))); }
    for (var i = 0; i < p.tags.length; i++) { tags.appendChild(element("span", "badge", p.tags[i])); }
    if (p.stand_in) { tags.appendChild(element("span", "badge badge-ok", p.stand_in)); }
    info.appendChild(tags);
    li.appendChild(info);
    var actions = element("div", "person-actions");
    if (queuedPeople[p.id]) {
      var badge = element("span", "badge badge-warn", msg("queued"));
      badge.setAttribute("data-queued", queuedPeople[p.id]);
      actions.appendChild(badge);
    } else if (!p.here && !p.stand_in) {
      actions.appendChild(checkinButton(p.url, p.name));
    }
    li.appendChild(actions);
    return li;
  }

  // The search while the network is down: in the copy of the list, and it says so.
  function searchHere(query) {
    var box = document.getElementById("door-search-results");
    if (!box) { return; }
    box.className = "door-search-results is-local";
    box.setAttribute("data-query", query);
    box.innerHTML = "";
    if (!fold(query)) { return; }
    if (!people) {
      box.appendChild(element("p", "door-list-note", msg("list-missing")));
      return;
    }
    box.appendChild(element("p", "door-list-note", msg("list-offline", 0, { t: shared.vnTime(peopleAt) })));
    var found = findPeople(query);
    if (!found.length) {
      box.appendChild(element("p", "empty", msg("list-none", 0, { q: query })));
      return;
    }
    var list = element("ul", "people-list");
    for (var i = 0; i < found.length; i++) { list.appendChild(localRow(found[i])); }
    box.appendChild(list);
  }

  var searchBox = document.getElementById("door-search");
  if (searchBox) {
    searchBox.addEventListener("htmx:beforeRequest", function (evt) {
      if (navigator.onLine === false) { evt.preventDefault(); searchHere(searchBox.value); }
    });
    // The server cannot answer (no network, a proxy's error page, no answer in time): the list
    // here instead of an error box (stopped before app.js's handlers on the document).
    var fallBack = function (evt) {
      if (evt.type === "htmx:responseError" && evt.detail.xhr && evt.detail.xhr.status < 500) { return; }
      evt.stopPropagation();
      searchHere(searchBox.value);
    };
    // The app's own 503 (its database does not answer) carries a message that app.js would show
    // in #flash: for the search, the list here is of more use (stopped before app.js sees it).
    document.addEventListener("htmx:beforeSwap", function (evt) {
      var config = evt.detail.requestConfig;
      if (config && config.elt === searchBox && evt.detail.xhr && evt.detail.xhr.status >= 500) {
        evt.stopPropagation();
      }
    }, true);
    searchBox.addEventListener("htmx:sendError", fallBack);
    searchBox.addEventListener("htmx:responseError", fallBack);
    searchBox.addEventListener("htmx:timeout", fallBack);
  }

  /* ---- camera ---------------------------------------------------------------------- */
  var video = document.getElementById("door-video");
  var canvas = document.getElementById("door-canvas");
  var toggle = document.getElementById("camera-toggle");
  var cameraMsg = document.getElementById("camera-msg");
  var stream = null;
  var timer = null;
  var CAMERA_KEY = "meetingday-door-camera";

  function say(text) { if (cameraMsg) { cameraMsg.textContent = text; } }

  function tick() {
    if (!stream || video.readyState < 2 || !window.jsQR) { return; }
    var w = video.videoWidth;
    var h = video.videoHeight;
    if (!w || !h) { return; }
    var scale = Math.min(1, 640 / w);
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    var ctx = canvas.getContext("2d");
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
    if (found && found.data) { submitCode(found.data); }
  }

  function stopCamera() {
    if (timer) { window.clearInterval(timer); timer = null; }
    if (stream) {
      var tracks = stream.getTracks();
      for (var i = 0; i < tracks.length; i++) { tracks[i].stop(); }
    }
    stream = null;
    video.hidden = true;
    toggle.textContent = toggle.getAttribute("data-label-off");
    say("");
    try { window.localStorage.removeItem(CAMERA_KEY); } catch (e) { /* ignore */ }
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say(msg(window.isSecureContext === false ? "camera-insecure" : "camera-off"));
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        var played = video.play();
        if (played && played["catch"]) { played["catch"](function () { /* autoplay muted is allowed */ }); }
        toggle.textContent = toggle.getAttribute("data-label-on");
        say(msg("camera-on"));
        timer = window.setInterval(tick, 150);
        try { window.localStorage.setItem(CAMERA_KEY, "1"); } catch (e) { /* ignore */ }
      })["catch"](function () {
        say(msg("camera-off"));
      });
  }

  if (toggle && video && canvas) {
    toggle.addEventListener("click", function () {
      if (stream) { stopCamera(); } else { startCamera(); }
    });
    var wanted = false;
    try { wanted = window.localStorage.getItem(CAMERA_KEY) === "1"; } catch (e) { wanted = false; }
    if (wanted) { startCamera(); }  // the tablet was scanning before a reload
  }

  /* ---- network ------------------------------------------------------------------------ */
  // htmx 2 rejects a request's promise with no reason when the network fails, and nothing waits
  // for that promise (a region reload, a polled fragment): the screen already says it is offline.
  window.addEventListener("unhandledrejection", function (evt) {
    if (evt.reason === undefined) { evt.preventDefault(); }
  });
  window.addEventListener("online", function () {
    offline = false;
    updateStatus();
    drain();
    loadPeople();
    // What was found in the device's list is found again on the server.
    var found = document.getElementById("door-search-results");
    if (searchBox && searchBox.value && found && /\bis-local\b/.test(found.className) && window.htmx) {
      window.htmx.trigger(searchBox, "search");
    }
  });
  window.addEventListener("offline", function () { offline = true; updateStatus(); });
  window.setInterval(function () { if (loadQueue().length) { drain(); } }, 5000);
  window.setInterval(refocus, 1500);
  window.setInterval(loadPeople, 60000);

  updateStatus();
  loadPeople();
  drain();  // scans left from before a reload
  refocus();

  // For tests and support: how many scans wait on this device.
  window.meetingdayDoor = {
    waiting: function () { return loadQueue().length; },
    listed: function () { return people ? people.length : null; }  // the copy of the list for offline
  };
}());
