/*
 * meetingday — common.js: what the screens' scripts share. Plain ES5 (no build step).
 * templates/base.html loads it before every other script, so each can use window.meetingday:
 *
 *   requestHeaders(verb, into)   adds to `into` (or a new object) the headers our own requests
 *                                carry: X-Page-Lang, the page's <html lang> (the answer comes in
 *                                the page's language; a page opened with ?lang= has no cookie for
 *                                it), and on anything but a GET X-CSRFToken, the token of
 *                                <meta name="csrf-token"> (what Flask-WTF's CSRFProtect checks;
 *                                read on every call, so a token swapped in later is picked up);
 *                                returns it
 *   pad(n)                       "07" for 7
 *   vnTime(ms)                   "08:31": the time of ms (epoch milliseconds) in Vietnam
 *                                (Asia/Ho_Chi_Minh, UTC+7 all year, no daylight saving)
 *   flash(category, text, attrs) shows one message in #flash, instead of what it showed: the
 *                                markup of templates/_flash.html, for a message the browser
 *                                writes itself (no answer from the server to carry it); attrs are
 *                                extra attributes for the message; returns it (null if no #flash)
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return (meta && meta.getAttribute("content")) || "";
  }

  function requestHeaders(verb, into) {
    var headers = into || {};
    headers["X-Page-Lang"] = document.documentElement.lang || "vi";
    if (String(verb || "GET").toUpperCase() !== "GET") {
      var token = csrfToken();
      if (token) { headers["X-CSRFToken"] = token; }
    }
    return headers;
  }

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function vnTime(ms) {
    var d = new Date(Number(ms) + 7 * 3600 * 1000);
    return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
  }

  // As templates/_flash.html: an unknown category shows as "info"; only an error is an alert.
  function flash(category, text, attrs) {
    var box = document.getElementById("flash");
    if (!box) { return null; }
    if (category !== "ok" && category !== "error" && category !== "info") { category = "info"; }
    var div = document.createElement("div");
    div.className = "flash flash-" + category;
    div.setAttribute("role", category === "error" ? "alert" : "status");
    for (var name in attrs || {}) {
      if (attrs.hasOwnProperty(name)) { div.setAttribute(name, attrs[name]); }
    }
    div.textContent = text;
    box.innerHTML = "";
    box.appendChild(div);
    return div;
  }

  window.meetingday = { requestHeaders: requestHeaders, pad: pad, vnTime: vnTime, flash: flash };
}());
