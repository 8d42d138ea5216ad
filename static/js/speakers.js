/* The speaker line on the chair's tablet: drag a row by its handle to a new place.
 *
 * The line (#speaker-queue .sq-line) is a live region that pushes replace; after every swap
 * the new list is made sortable again. A drop sends the new order and the order the screen
 * showed before it; the server refuses it as stale if the line changed meanwhile, and then the
 * region reloads. Up and down buttons do the same without dragging.
 */
(function () {
  "use strict";

  function ids(list) {
    var rows = list.querySelectorAll("[data-request]");
    var out = [];
    for (var i = 0; i < rows.length; i++) { out.push(rows[i].getAttribute("data-request")); }
    return out;
  }

  function setup() {
    var list = document.querySelector("#speaker-queue .sq-line");
    if (!list || list.sortable || !window.Sortable || document.body.classList.contains("no-chair")) { return; }
    var before = ids(list);
    list.sortable = window.Sortable.create(list, {
      handle: ".sq-drag",
      animation: 150,
      ghostClass: "is-drop-target",
      chosenClass: "is-dragging",
      onEnd: function (evt) {
        if (evt.oldIndex === evt.newIndex) { return; }
        var order = ids(list);
        window.htmx.ajax("POST", list.getAttribute("data-reorder"), {
          source: list, swap: "none", values: { order: order, line: before }
        });
      }
    });
  }

  /* Leaving the item while people wait to speak: the chair is told how many, and confirms. */
  var LEAVING = ".chair-next, .chair-prev, .chair-item-btn, .chair-end";
  document.addEventListener("htmx:confirm", function (evt) {
    var elt = evt.detail.elt;
    var queue = document.getElementById("speaker-queue");
    if (!elt || !elt.closest || !elt.closest(LEAVING) || !queue) { return; }
    var warning = queue.getAttribute("data-leave-warning");
    if (!warning) { return; }
    evt.preventDefault();
    var question = evt.detail.question ? evt.detail.question + "\n\n" + warning : warning;
    if (window.confirm(question)) { evt.detail.issueRequest(true); }
  });

  /* A person added: the form is emptied for the next one (not after a refusal, nor after the
     search field's own requests inside it). */
  document.addEventListener("htmx:afterRequest", function (evt) {
    var form = evt.detail.elt;
    if (!form || form.id !== "speaker-add-form" || !evt.detail.successful) { return; }
    form.reset();
    var people = document.getElementById("speaker-people");
    if (people) { people.innerHTML = ""; }
  });

  document.addEventListener("DOMContentLoaded", setup);
  document.addEventListener("htmx:afterSettle", setup);
  document.addEventListener("htmx:afterSwap", setup);
})();
