// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Move focus to the error summary so screen readers announce what needs fixing.
  function focusErrors() {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }

  // "Add another training": clone the formset's empty form from a <template>.
  function setUpFormsetAdders() {
    document.querySelectorAll("[data-formset-add]").forEach(function (button) {
      var prefix = button.getAttribute("data-formset-add");
      var template = document.getElementById(prefix + "-empty");
      var list = document.getElementById(prefix + "-forms");
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      if (!template || !list || !total) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var index = parseInt(total.value, 10);
        var html = template.innerHTML.replace(/__prefix__/g, String(index));
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var row = holder.firstElementChild;
        list.appendChild(row);
        total.value = String(index + 1);
        var first = row.querySelector("select, input, textarea");
        if (first) { first.focus(); }
      });
    });
  }

  // Order form: show only the sections that concern the chosen task type's nature.
  function setUpNatureSections() {
    var data = document.getElementById("task-natures");
    var select = document.getElementById("id_task_type");
    if (!data || !select) { return; }
    var natures = JSON.parse(data.textContent);
    function update() {
      var nature = natures[select.value];
      document.querySelectorAll("fieldset[data-natures]").forEach(function (section) {
        var wanted = section.getAttribute("data-natures").split(" ");
        section.hidden = Boolean(nature) && wanted.indexOf(nature) === -1;
      });
    }
    select.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrors();
    setUpFormsetAdders();
    setUpNatureSections();
  });
})();
