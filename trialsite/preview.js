// Live preview only (python build.py serve adds it to each page; a built site never has it): reload the page when
// the site is rebuilt, and show the build's problems over the page while the last good build stays in view.
(function () {
  "use strict";
  var seen = null;

  function show(problems) {
    var box = document.getElementById("trialsite-preview-problems");
    if (!problems.length) {
      if (box) { box.remove(); }
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "trialsite-preview-problems";
      box.setAttribute("role", "alert");
      box.style.position = "fixed";
      box.style.left = "0";
      box.style.right = "0";
      box.style.bottom = "0";
      box.style.maxHeight = "50vh";
      box.style.overflow = "auto";
      box.style.padding = "1rem";
      box.style.background = "#fff4e5";
      box.style.color = "#1a1a1a";
      box.style.borderTop = "4px solid #a34700";
      box.style.zIndex = "1000";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var intro = document.createElement("p");
    intro.textContent = "The build failed, so this is the last good build. Fix these, then save:";
    var list = document.createElement("pre");
    list.style.whiteSpace = "pre-wrap";
    list.textContent = problems.join("\n");
    box.appendChild(intro);
    box.appendChild(list);
  }

  function poll() {
    fetch("/__trialsite__/state", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (seen !== null && state.version !== seen) {
          location.reload();
          return;
        }
        seen = state.version;
        show(state.problems);
      })
      .catch(function () { /* the preview stopped: try again */ })
      .finally(function () { setTimeout(poll, 700); });
  }

  poll();
}());
