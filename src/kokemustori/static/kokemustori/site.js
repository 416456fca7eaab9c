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

  // Matching: "N chosen" beside the send button, which stays in view while the list scrolls.
  // The texts come translated from the page; N stands for the number.
  function setUpSelectionCounts() {
    document.querySelectorAll("[data-selection-count]").forEach(function (counter) {
      var form = counter.closest("form");
      var name = counter.getAttribute("data-selection-count");
      if (!form) { return; }
      function update() {
        var count = form.querySelectorAll('input[name="' + name + '"]:checked').length;
        var text = count === 0 ? counter.getAttribute("data-none")
          : count === 1 ? counter.getAttribute("data-one")
          : counter.getAttribute("data-many").replace("N", String(count));
        counter.textContent = text;
      }
      counter.hidden = false;
      form.addEventListener("change", update);
      update();
    });
  }

  // A table wider than the screen scrolls sideways inside .table-scroll: while it does,
  // make the box reachable with the keyboard (arrow keys scroll it), named as a group by
  // the table's caption or its section's heading (a group is not one more landmark).
  function setUpScrollingTables() {
    var boxes = document.querySelectorAll(".table-scroll");
    if (!boxes.length) { return; }
    function name(box) {
      var caption = box.querySelector("caption");
      if (caption && caption.textContent.trim()) {
        box.setAttribute("aria-label", caption.textContent.trim());
        return true;
      }
      var section = box.closest("[aria-labelledby]");
      if (section) {
        box.setAttribute("aria-labelledby", section.getAttribute("aria-labelledby"));
        return true;
      }
      return false;
    }
    function update() {
      boxes.forEach(function (box) {
        if (box.scrollWidth > box.clientWidth + 1) {
          if (box.hasAttribute("tabindex")) { return; }
          box.setAttribute("tabindex", "0");
          if (name(box)) { box.setAttribute("role", "group"); }
        } else {
          ["tabindex", "role", "aria-label", "aria-labelledby"].forEach(function (attr) {
            box.removeAttribute(attr);
          });
        }
      });
    }
    update();
    window.addEventListener("resize", update);
  }

  // Narrow screens: the main navigation folds behind a "Menu" button.
  function setUpMenu() {
    var button = document.querySelector(".menu-toggle");
    var nav = document.getElementById("main-nav");
    if (!button || !nav) { return; }
    document.documentElement.classList.add("has-menu");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("open")) {
        button.setAttribute("aria-expanded", "false");
        nav.classList.remove("open");
        button.focus();
      }
    });
  }

  // Narrow screens: each table row becomes a card; every cell is labelled with its column's
  // heading, so no column is cut off or hidden (site.css, "Stacked tables").
  function labelTableCells(root) {
    (root || document).querySelectorAll("main table").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length || table.classList.contains("no-stack")) { return; }
      var labels = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
      table.classList.add("stack");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (labels[index] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[index]);
          }
        });
      });
    });
  }

  document.addEventListener("htmx:afterSwap", function (event) { labelTableCells(event.target); });

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    labelTableCells(document);
    focusErrors();
    setUpFormsetAdders();
    setUpSelectionCounts();
    setUpScrollingTables();
  });
})();
