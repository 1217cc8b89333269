// Progressive enhancement only: every control works without this file (the buttons it hides submit the form).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("change", function (event) {
    var target = event.target;
    // A facet checkbox goes straight to its link: the same search with that one value toggled.
    if (target.matches("input[data-toggle-url]")) {
      window.location.assign(target.getAttribute("data-toggle-url"));
    } else if (target.id === "sort" && target.form) {
      target.form.submit();
    }
  });

  // On narrow screens the filter panel starts folded so the results come first.
  var panel = document.getElementById("filters-panel");
  if (panel && window.matchMedia && window.matchMedia("(max-width: 48rem)").matches) {
    var anyActive = panel.querySelector("input:checked");
    if (!anyActive) { panel.removeAttribute("open"); }
  }
})();
