/*
 * meetingday — hallcode.js: the hall QR follows the check-in window. Loaded by the screens that
 * show both the hall QR (#hall-code, checkin/_hall_code.html) and a region pushed with every
 * change of attendance: the door (checkin/door.html) and the projector (display/page.html).
 * Plain ES5.
 *
 * The pushed region carries the window's state (data-checkin, checkin/_macros.html); when it
 * differs from the hall QR's (#hall-code[data-state]), the QR reloads at once instead of at its
 * next 20-second refresh. htmx drops a reload asked while the QR is loading (it queues it on the
 * element the answer replaces), so the state last pushed is kept and checked again when a QR
 * loads: one more reload at most, never a loop, even when the pushed state is behind the server's.
 */
(function () {
  "use strict";

  var pushedWindow = null;

  function reloadIfBehind(hall, wanted) {
    if (hall && wanted !== null && hall.getAttribute("data-state") !== wanted && window.htmx) {
      window.htmx.trigger(hall, "refresh");
    }
  }

  // (htmx:load comes from htmx alone, which this file may run before: listened for on document.)
  document.addEventListener("htmx:load", function (evt) {
    var elt = evt.detail && evt.detail.elt;
    if (!elt || !elt.getAttribute) { return; }
    if (elt.id === "hall-code") {
      var wanted = pushedWindow;
      pushedWindow = null;
      reloadIfBehind(elt, wanted);
    } else if (elt.hasAttribute("data-checkin")) {
      pushedWindow = elt.getAttribute("data-checkin");
      reloadIfBehind(document.getElementById("hall-code"), pushedWindow);
    }
  });
}());
