/*
 * meetingday — app.js
 * Small glue for htmx pages. Plain ES5 (no build step) so it runs on older
 * Android Chrome. Load it after common.js and htmx (templates/base.html):
 *   <meta name="csrf-token" content="{{ csrf_token() }}">
 *   <script src="/static/js/common.js"></script>
 *   <script src="/static/vendor/htmx/htmx.min.js"></script>
 *   <script src="/static/js/app.js"></script>
 */
(function () {
  "use strict";

  var shared = window.meetingday;

  /* ---- htmx integration -------------------------------------------------- */
  if (window.htmx) {
    // Listeners go on document (htmx events bubble), so this file works
    // whether it is loaded in <head> or at the end of <body>.

    // Add the page's language to every htmx request, and X-CSRFToken (what
    // Flask-WTF's CSRFProtect checks) to every non-GET one.
    document.addEventListener("htmx:configRequest", function (evt) {
      shared.requestHeaders(evt.detail.verb, evt.detail.headers);
    });

    // htmx 2 does not swap 4xx/5xx bodies by default. Our server answers
    // every 4xx to an htmx request with a fragment: a form with its errors,
    // or a message with HX-Retarget: #flash. Swap those like a 200 (first
    // match wins). 5xx (a crash, or a proxy's page) is not swapped: the
    // htmx:responseError handler below says so in the page's language.
    if (window.htmx.config) {
      window.htmx.config.responseHandling = [
        { code: "204", swap: false },
        { code: "[23]..", swap: true },
        { code: "4..", swap: true, error: false },
        { code: "5..", swap: false, error: true }
      ];
    }

    // Say what went wrong when nothing could be swapped: the messages come
    // translated from <body data-msg-server-error / data-msg-network-error>.
    var showError = function (key) {
      var text = document.body.getAttribute(key);
      var shown = text ? shared.flash("error", text, { "data-error": key }) : null;
      if (shown) { shown.parentNode.scrollIntoView(true); }
    };
    // Only for what someone did: a region refreshing itself in the background (polling, a live
    // reload, a "load" trigger) says nothing; it tries again, and the offline marker of live.js
    // already tells a live screen that it is reconnecting. The projector never shows such a box.
    var USER_EVENTS = /^(click|submit|change|input|keyup|keydown|search)$/;
    var byUser = function (evt) {
      var config = evt.detail && evt.detail.requestConfig;
      if (!config) { return true; }
      if (String(config.verb || "get").toUpperCase() !== "GET") { return true; }
      var trigger = config.triggeringEvent;
      return !!(trigger && USER_EVENTS.test(trigger.type));
    };
    // A 5xx that the app answered itself with a message for #flash (HX-Retarget: 503 while its
    // database does not answer) is shown as a refusal is, when someone did something.
    document.addEventListener("htmx:beforeSwap", function (evt) {
      var xhr = evt.detail.xhr;
      if (xhr && xhr.status >= 500 && xhr.getResponseHeader("HX-Retarget") && byUser(evt)) {
        evt.detail.shouldSwap = true;
        evt.detail.isError = false;
      }
    });
    document.addEventListener("htmx:responseError", function (evt) {
      if (byUser(evt)) { showError("data-msg-server-error"); }
    });
    document.addEventListener("htmx:sendError", function (evt) {
      if (byUser(evt)) { showError("data-msg-network-error"); }
    });
    document.addEventListener("htmx:timeout", function (evt) {
      if (byUser(evt)) { showError("data-msg-network-error"); }
    });
    // The network is back: "lost the connection" is no longer true.
    window.addEventListener("online", function () {
      var shown = document.querySelector('#flash [data-error="data-msg-network-error"]');
      if (shown) { shown.parentNode.removeChild(shown); }
    });
    // An attendance panel pushed after a change (data-reload-waiting, templates/attendance/_panel.html)
    // reloads the page's list of who is not here yet, with the user's filter.
    window.htmx.onLoad(function (elt) {
      if (elt.hasAttribute && elt.hasAttribute("data-reload-waiting")) {
        window.htmx.trigger(document.body, "attendance-changed");
      }
    });

    // On a weak hall Wi-Fi a request may hang: give up after 20 s and say so.
    window.htmx.config.timeout = 20000;

    // A new action: the previous message has been read, so it goes. A region reloading itself
    // (live.js: [data-live-src], after a reconnect or a refused stale action) is not an action:
    // the message ("your screen was behind…") stays.
    document.addEventListener("htmx:beforeRequest", function (evt) {
      var target = evt.detail && evt.detail.target;
      if (target && target.hasAttribute && target.hasAttribute("data-live-src")) { return; }
      var flash = document.getElementById("flash");
      if (flash) { flash.innerHTML = ""; }
    });
  }

  /* ---- data-confirm on ordinary (non-htmx) forms -------------------------
   * <form method="post" data-confirm="Delete this delegate?"> asks first.
   * Forms with hx-post/hx-put/... are skipped: use htmx's own hx-confirm. */
  var HX_ATTRS = ["hx-post", "hx-put", "hx-patch", "hx-delete", "hx-get",
                  "data-hx-post", "data-hx-put", "data-hx-patch",
                  "data-hx-delete", "data-hx-get"];

  function isHtmxForm(form) {
    for (var i = 0; i < HX_ATTRS.length; i++) {
      if (form.hasAttribute(HX_ATTRS[i])) { return true; }
    }
    return false;
  }

  // Capture phase so we run before other submit handlers.
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!form || form.nodeName !== "FORM") { return; }
    // <form data-no-submit> only holds htmx controls: Enter in one of its fields sends nothing.
    if (form.hasAttribute("data-no-submit")) { evt.preventDefault(); return; }
    var text = form.getAttribute("data-confirm");
    if (!text || isHtmxForm(form)) { return; }
    if (!window.confirm(text)) {
      evt.preventDefault();
      evt.stopPropagation();
    }
  }, true);
})();
