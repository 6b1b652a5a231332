// Turns <input data-tags> (comma-separated) into chips with suggestions from its datalist.
// Without JavaScript the plain comma-separated field still works.
(function () {
  "use strict";

  function parse(text) {
    var seen = [];
    text.split(",").forEach(function (part) {
      var name = part.trim().replace(/\s+/g, " ").toLowerCase();
      if (name && seen.indexOf(name) === -1) seen.push(name);
    });
    return seen;
  }

  function enhance(original) {
    var tags = parse(original.value);
    var box = document.createElement("div");
    box.className = "form-control tag-input" + (original.classList.contains("is-invalid") ? " is-invalid" : "");
    var typing = document.createElement("input");
    typing.type = "text";
    typing.setAttribute("list", original.getAttribute("list") || "");
    typing.setAttribute("aria-label", original.labels.length ? original.labels[0].textContent.trim() : "");
    typing.id = original.id;
    original.removeAttribute("id");
    original.type = "hidden";
    original.removeAttribute("list");

    function sync() { original.value = tags.join(", "); }

    function render() {
      box.querySelectorAll(".tag-chip").forEach(function (chip) { chip.remove(); });
      tags.forEach(function (name, index) {
        var chip = document.createElement("span");
        chip.className = "tag-chip";
        chip.textContent = name;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", "× " + name);
        remove.addEventListener("click", function () {
          tags.splice(index, 1);
          sync();
          render();
          typing.focus();
        });
        chip.appendChild(remove);
        box.insertBefore(chip, typing);
      });
    }

    function commit() {
      parse(typing.value).forEach(function (name) {
        if (tags.indexOf(name) === -1) tags.push(name);
      });
      typing.value = "";
      sync();
      render();
    }

    typing.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === ",") {
        event.preventDefault();
        commit();
      } else if (event.key === "Backspace" && !typing.value && tags.length) {
        tags.pop();
        sync();
        render();
      }
    });
    // Picking a suggestion from the datalist fires "input" with the whole value.
    typing.addEventListener("input", function (event) {
      if (event.inputType === "insertReplacementText" || event.inputType === undefined) commit();
    });
    typing.addEventListener("blur", commit);
    box.addEventListener("click", function () { typing.focus(); });

    box.appendChild(typing);
    original.parentNode.insertBefore(box, original);
    render();
  }

  document.querySelectorAll("input[data-tags]").forEach(enhance);
})();
