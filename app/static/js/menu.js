// The phone menu closes on Escape and gives focus back to its button (Bootstrap's collapse
// does not: it is not a dialog), as people who browse by keyboard expect.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var menu = document.getElementById("nav");
    if (event.key !== "Escape" || !menu || !menu.classList.contains("show")) return;
    bootstrap.Collapse.getOrCreateInstance(menu, { toggle: false }).hide();
    var toggler = document.querySelector('[data-bs-target="#nav"]');
    if (toggler) toggler.focus();
  });
})();
