/* The delegate's pass.
 *
 *  - marks the holder's own row in the speaker line that every phone shares: #pass-queue is one
 *    public fragment for all phones; #pass-speak is the holder's own and names their request
 *    (data-my-request). After every swap the row with that request gets .is-mine;
 *  - takes the welcome ("Xin cảm ơn. Mời vào hội trường.", [data-welcome-until=ms]) away once
 *    its time has passed (by the server's clock), so the top of the pass is what happens now;
 *  - when the chair gives the holder the floor, brings their countdown into view (their own
 *    actions, asking and withdrawing, go back to the top by hx-swap's show:window:top).
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

  function serverNow() {
    return window.meetingdayLive && window.meetingdayLive.now ? window.meetingdayLive.now() : Date.now();
  }

  function endWelcome() {
    var notes = document.querySelectorAll("[data-welcome-until]");
    for (var i = 0; i < notes.length; i++) {
      if (Number(notes[i].getAttribute("data-welcome-until")) <= serverNow()) {
        var box = notes[i].closest(".pass-checkin");
        if (box) { box.classList.remove("is-welcome"); }
        notes[i].parentNode.removeChild(notes[i]);
      }
    }
  }

  var wasSpeaking = false;
  function followTurn() {
    var own = document.getElementById("pass-speak");
    var speaking = !!own && own.classList.contains("is-speaking");
    if (speaking && !wasSpeaking && document.readyState === "complete") {
      var box = own.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) { window.scrollTo(0, 0); }
    }
    wasSpeaking = speaking;
  }

  document.addEventListener("DOMContentLoaded", function () {
    markMine();
    endWelcome();
    var own = document.getElementById("pass-speak");
    wasSpeaking = !!own && own.classList.contains("is-speaking");
    window.setInterval(endWelcome, 5000);
  });
  document.addEventListener("htmx:afterSettle", function () { markMine(); endWelcome(); followTurn(); });
  document.addEventListener("htmx:afterSwap", markMine);
})();
