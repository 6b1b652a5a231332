// Counts down to [data-ends-at] (an ISO time) in every element that has it; works after htmx swaps.
(function () {
  "use strict";
  function tick() {
    document.querySelectorAll("[data-ends-at]").forEach(function (el) {
      var left = Math.max(0, Math.round((Date.parse(el.dataset.endsAt) - Date.now()) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      el.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      el.classList.toggle("is-over", left === 0);
    });
  }
  tick();
  setInterval(tick, 1000);
})();
