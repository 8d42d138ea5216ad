/*
 * meetingday — units.js: the board of reporting units. Plain ES5.
 *  [data-copy="text"]            copies the text (a unit's link);
 *  [data-copy-from="#selector"]  copies the value of that field (the reminders);
 *  either says [data-copied] on the button for a moment;
 *  [data-unit-close]             closes a row's contact form.
 * On a LAN address (http, not localhost) the clipboard API is not offered: the text is then
 * selected in a field and copied with the older command.
 */
(function () {
  "use strict";

  function fallback(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "sr-only";
    document.body.appendChild(field);
    field.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(field);
    return ok;
  }

  function said(button) {
    var label = button.getAttribute("data-copied");
    if (!label || button.getAttribute("data-label")) { return; }
    button.setAttribute("data-label", button.textContent);
    button.textContent = label;
    window.setTimeout(function () {
      button.textContent = button.getAttribute("data-label");
      button.removeAttribute("data-label");
    }, 2000);
  }

  function copy(text, button) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { said(button); },
        function () { if (fallback(text)) { said(button); } });
    } else if (fallback(text)) {
      said(button);
    }
  }

  document.addEventListener("click", function (evt) {
    var target = evt.target;
    if (!target.closest) { return; }
    var button = target.closest("[data-copy]");
    if (button) { copy(button.getAttribute("data-copy"), button); return; }
    button = target.closest("[data-copy-from]");
    if (button) {
      var field = document.querySelector(button.getAttribute("data-copy-from"));
      if (field) { field.select(); copy(field.value, button); }
      return;
    }
    var close = target.closest("[data-unit-close]");
    if (close) {
      var box = close.closest(".unit-contact-box");
      if (box) { box.innerHTML = ""; }
    }
  });
})();
