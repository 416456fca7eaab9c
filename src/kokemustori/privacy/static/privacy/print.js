// Progressive enhancement: a Print button for the personal-data summary (the browser's own
// print command works without it).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
