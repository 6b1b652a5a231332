// Door mode: read ticket codes from the camera in the page (jsQR, served from here) and check
// each in with a POST; the server answers with the result to show. The same code is not sent
// again for a few seconds, while it stays in front of the camera.
(function () {
  "use strict";
  var door = document.getElementById("door");
  if (!door) return;
  var video = door.querySelector("video");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var result = document.getElementById("door-result");
  var status = document.getElementById("door-status");
  var last = "", lastAt = 0, busy = false;
  var AGAIN_AFTER_MS = 4000, EVERY_MS = 150;

  function send(text) {
    busy = true;
    var body = new FormData();
    body.append("ticket", text);
    body.append("csrf_token", door.dataset.csrf);
    fetch(door.dataset.url, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) { result.innerHTML = html; })
      .finally(function () { busy = false; });
  }

  function scan() {
    if (!busy && video.readyState >= 2 && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      var frame = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      if (code && code.data && (code.data !== last || now - lastAt > AGAIN_AFTER_MS)) {
        last = code.data;
        lastAt = now;
        send(code.data);
      }
    }
    setTimeout(scan, EVERY_MS);
  }

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    status.textContent = door.dataset.noCamera;
    return;
  }
  navigator.mediaDevices
    .getUserMedia({ video: { facingMode: "environment" }, audio: false })
    .then(function (stream) {
      video.srcObject = stream;
      return video.play();
    })
    .then(scan)
    .catch(function () { status.textContent = door.dataset.noCamera; });
})();
