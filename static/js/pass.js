/* The delegate's pass: mark the holder's own row in the speaker line that every phone shares.
 *
 * #pass-queue is one public fragment for all phones; #pass-speak is the holder's own and names
 * their request (data-my-request). After every swap the row with that request gets .is-mine.
 */
(function () {
  "use strict";

  function markMine() {
    var own = document.querySelector("[data-my-request]");
    var mine = own ? own.getAttribute("data-my-request") : null;
    var rows = document.querySelectorAll("#pass-queue [data-request]");
    for (var i = 0; i < rows.length; i++) {
      var yes = mine !== null && rows[i].getAttribute("data-request") === mine;
      rows[i].classList.toggle("is-mine", yes);
      if (yes) { rows[i].setAttribute("aria-current", "true"); } else { rows[i].removeAttribute("aria-current"); }
    }
  }

  document.addEventListener("DOMContentLoaded", markMine);
  document.addEventListener("htmx:afterSettle", markMine);
  document.addEventListener("htmx:afterSwap", markMine);
})();
