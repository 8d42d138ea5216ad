/*
 * meetingday — kien_nghi.js
 * The kiến nghị screen: filters and a diacritics-insensitive search over the rows of #kn-list,
 * run in the browser so that the one list pushed live (static/js/live.js) serves every screen's
 * filter; the counts of #kn-summary double as quick status filters; [data-kn-toggle] opens the add
 * and import panels; [data-kn-close] closes a row's inline form. Plain ES5.
 */
(function () {
  "use strict";

  var form = document.getElementById("kn-filters");
  if (!form) { return; }

  function fold(text) {
    text = String(text || "").replace(/đ/g, "d").replace(/Đ/g, "D");
    if (text.normalize) { text = text.normalize("NFD"); }
    return text.replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function value(name) {
    var el = form.elements[name];
    return el ? el.value : "";
  }

  function apply() {
    var status = value("status"), org = value("org"), ban = value("ban");
    var words = fold(value("q")).split(" ").filter(function (w) { return w; });
    var rows = document.querySelectorAll("#kn-list .kn-row");
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var ok = (!status || row.getAttribute("data-status") === status) &&
               (!org || row.getAttribute("data-org") === org) &&
               (!ban || row.getAttribute("data-ban") === ban);
      if (ok && words.length) {
        var text = row.getAttribute("data-search") || "";
        for (var j = 0; j < words.length && ok; j++) { ok = text.indexOf(words[j]) !== -1; }
      }
      row.hidden = !ok;
      if (ok) { shown++; }
    }
    var none = document.querySelector("#kn-list .kn-nomatch");
    if (none) { none.hidden = shown > 0 || rows.length === 0; }
    var counter = form.querySelector(".kn-shown");
    if (counter) {
      var filtered = status || org || ban || words.length;
      counter.textContent = filtered && rows.length ?
        counter.getAttribute("data-template").replace("{shown}", shown).replace("{total}", rows.length) : "";
    }
    var buttons = document.querySelectorAll("#kn-summary [data-kn-status]");
    for (var k = 0; k < buttons.length; k++) {
      buttons[k].setAttribute("aria-pressed", buttons[k].getAttribute("data-kn-status") === status ? "true" : "false");
    }
    remember(status, org, ban, value("q"));
  }

  // The filters stay in the address, so a reload (or a link) shows the same list.
  function remember(status, org, ban, q) {
    if (!window.history || !window.history.replaceState) { return; }
    var params = [];
    if (status) { params.push("status=" + encodeURIComponent(status)); }
    if (org) { params.push("org=" + encodeURIComponent(org)); }
    if (ban) { params.push("ban=" + encodeURIComponent(ban)); }
    if (q) { params.push("q=" + encodeURIComponent(q)); }
    var url = window.location.pathname + (params.length ? "?" + params.join("&") : "");
    if (url !== window.location.pathname + window.location.search) {
      window.history.replaceState(window.history.state, "", url);
    }
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () {
    window.setTimeout(function () {
      // A reset puts back the values the page was drawn with: clear them.
      for (var i = 0; i < form.elements.length; i++) {
        var el = form.elements[i];
        if (el.name) { el.value = ""; }
      }
      apply();
    }, 0);
  });

  document.addEventListener("click", function (evt) {
    var target = evt.target;
    var count = target.closest ? target.closest("#kn-summary [data-kn-status]") : null;
    if (count) {
      var select = form.elements.status;
      var wanted = count.getAttribute("data-kn-status");
      select.value = select.value === wanted ? "" : wanted;
      apply();
      return;
    }
    var toggle = target.closest ? target.closest("[data-kn-toggle]") : null;
    if (toggle) {
      var panel = document.getElementById(toggle.getAttribute("data-kn-toggle"));
      if (panel) {
        panel.hidden = !panel.hidden;
        toggle.setAttribute("aria-expanded", panel.hidden ? "false" : "true");
        var first = panel.hidden ? null : panel.querySelector("select, textarea, input");
        if (first) { first.focus(); }
      }
      return;
    }
    var close = target.closest ? target.closest("[data-kn-close]") : null;
    if (close) {
      var box = close.closest(".kn-inline");
      if (box) { box.innerHTML = ""; }
    }
  });

  // The list and the counts are replaced by pushes, reloads and answers: filter the new rows.
  var observer = new MutationObserver(apply);
  var wrap = document.getElementById("kn-list-wrap");
  if (wrap) { observer.observe(wrap, { childList: true }); }
  var summary = document.getElementById("kn-summary");
  if (summary && summary.parentNode) { observer.observe(summary.parentNode, { childList: true }); }

  apply();
})();
