/*
 * meetingday — selfcheckin.js: the phone opened the hall code before any pass.
 * Offers to read the invitation's QR with the phone's camera (jsQR) and opens that pass, which
 * completes the check-in (the hall visit is remembered by the server for a few minutes).
 * Cameras work only on HTTPS or localhost; elsewhere the page's text asks the delegate to use
 * the phone's own camera app. The QR reader (jsQR, about 35-60 KB compressed) is loaded only
 * when the delegate starts the camera (data-reader-src), never with the page. Plain ES5.
 */
(function () {
  "use strict";
  var box = document.getElementById("self-scan");
  var button = document.getElementById("self-scan-start");
  var video = document.getElementById("self-scan-video");
  var canvas = document.getElementById("self-scan-canvas");
  var status = document.getElementById("self-scan-msg");
  if (!box || !button || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
  var PASS = /\/d\/([A-Za-z0-9_-]{16,64})\/?(?:[?#].*)?$/;
  var timer = null;
  var lastWrong = "";

  function say(name) { status.textContent = box.getAttribute("data-msg-" + name) || ""; }

  function tick() {
    if (video.readyState < 2 || !window.jsQR || !video.videoWidth) { return; }
    var scale = Math.min(1, 640 / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    var ctx = canvas.getContext("2d");
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
    if (!found || !found.data) { return; }
    var match = PASS.exec(found.data);
    if (match) {
      window.clearInterval(timer);
      window.location.href = "/d/" + match[1];  // this server, whatever host the paper names
    } else if (found.data !== lastWrong) {
      lastWrong = found.data;
      say("not-pass");
    }
  }

  // The reader's script, added once, on the first tap: it loads while the camera starts.
  function loadReader() {
    var src = box.getAttribute("data-reader-src");
    if (window.jsQR || !src || document.querySelector("script[data-qr-reader]")) { return; }
    var script = document.createElement("script");
    script.src = src;
    script.setAttribute("data-qr-reader", "");
    document.head.appendChild(script);
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    loadReader();
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        var played = video.play();
        if (played && played["catch"]) { played["catch"](function () { /* muted autoplay */ }); }
        say("looking");
        timer = window.setInterval(tick, 150);
      })["catch"](function () {
        button.disabled = false;
        say("camera-off");
      });
  });
}());
