/*
 * meetingday — print.js: the "In" button of the print pages (the minutes, the invitations).
 * A listener rather than onclick=: the Content-Security-Policy allows no inline script.
 */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
