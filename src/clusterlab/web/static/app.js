// ClusterLab pages: small progressive enhancements. Every form also works without this file.
(function () {
  "use strict";

  // ---- charts: drawn by clusterlab.report's chart script (/static-lib/charts.js), as in report.html --
  // The app's own layout for a chart in a box narrower than 560 px that has no phone variant of its
  // own (a card's chart in a grid), and for the heatmap in a wide card.
  var Charts = window.ClusterLabCharts;
  var merge = Charts ? Charts.merge : null;
  function wrap(text, chars, lines) {
    return typeof text === "string" ? Charts.wrap(text, chars, lines).join("<br>") : text;
  }

  function legendRows(spec, width) {
    var seen = {}, used = 0, rows = 1;
    (spec.data || []).forEach(function (t) {
      var key = t.legendgroup || t.name;
      if (t.showlegend === false || t.type === "pie" || t.type === "heatmap" || !t.name || seen[key]) { return; }
      seen[key] = true;
      var item = 44 + 6.6 * String(t.name).length;
      if (used && used + item > width) { rows += 1; used = 0; }
      used += item;
    });
    return Object.keys(seen).length ? rows : 0;
  }

  // The shared charts (clusterlab.report) are laid out for a wide page. In a narrow box (a phone, a
  // card in a grid) titles wrap to the real width, and a legend beside or above the plot moves under
  // the title, with the top margin made to fit both, so nothing runs off the chart or overlaps.
  function narrow(spec, layout, width) {
    layout.margin = merge(layout.margin, { l: Math.min((layout.margin || {}).l || 56, 46), r: 8 });
    (spec.data || []).forEach(function (t) {
      if (t.type !== "heatmap") { return; }
      // Rows are clusters: their number is enough beside the cards' names; cells too narrow for
      // their text keep their colour and say their value on hover.
      if (Array.isArray(t.y)) { t.y = t.y.map(function (label) { return String(label).split(" \u00b7 ")[0]; }); }
      if (Array.isArray(t.x) && t.x.length * 64 > width - 60) { t.texttemplate = ""; }
      layout.xaxis = merge(layout.xaxis, { tickangle: -60 });
      layout.yaxis = merge(layout.yaxis, { type: "category", fixedrange: true });
      // Many columns: the first ones (those that set the clusters apart most) fill the width, the
      // rest are a swipe away, instead of forty columns a few pixels wide.
      var fit = Math.max(4, Math.floor((width - 80) / 28));
      if (Array.isArray(t.x) && t.x.length > fit) {
        layout.xaxis = merge(layout.xaxis, { range: [-0.5, fit - 0.5] });
        layout.dragmode = "pan";
        var title = layout.title || {};
        if (typeof title.text === "string") {
          layout.title = merge(title, { text: title.text + " \u00b7 the first " + fit + " of " + t.x.length + " columns; swipe the chart for the rest" });
        }
      }
    });
    var title = layout.title || {};
    var text = wrap(title.text, Math.max(18, Math.floor((width - 20) / 7.8)), 3);
    var titleLines = text ? String(text).split("<br>").length : 0;
    // (Plotly places a title of several lines a little high: the pad grows with the lines.)
    layout.title = merge(title, { text: text, font: { size: 14 }, y: 1, yref: "container", yanchor: "top", pad: { t: 8 + 5 * titleLines } });
    ["xaxis", "yaxis"].forEach(function (k) {
      var axis = layout[k];
      if (axis && axis.title && typeof axis.title.text === "string") {
        axis.title = merge(axis.title, { text: wrap(axis.title.text, Math.max(18, Math.floor((width - 60) / 6.8)), 2) });
      }
    });
    var rows = layout.showlegend === false ? 0 : legendRows(spec, width - 20);
    if (rows) {
      layout.legend = merge(layout.legend, { orientation: "h", x: 0, xanchor: "left", y: 1, yanchor: "bottom", yref: "paper" });
    }
    var top = (titleLines ? 14 + 23 * titleLines : 8) + 21 * rows + 8;
    layout.margin = merge(layout.margin, { t: Math.max(top, rows || titleLines ? 0 : (layout.margin || {}).t || 0) });
    if (layout.height && rows + titleLines > 2) { layout.height += 18 * (rows + titleLines - 2); }
  }

  // The heatmap of every cluster against every column, on a wide page: cells too narrow for their
  // numbers keep only their colour (the value is a tap or hover away), and column names written
  // level leave no empty band under the chart.
  // Cell texts cut to the cell: "Pick-up point 28%" becomes "Pick… 28%" (the share is what counts),
  // and a number that does not fit is left to the hover.
  function fitCells(t, cell) {
    var chars = Math.floor((cell - 6) / 5.9);  // 10 px text
    if (!Array.isArray(t.text)) { return; }
    t.text = t.text.map(function (row) {
      return Array.isArray(row) ? row.map(function (text) {
        text = String(text);
        if (text.length <= chars) { return text; }
        var share = /^(.*\S) (\d+(?:\.\d)?%)$/.exec(text);
        var room = share ? chars - share[2].length - 2 : 0;
        return share && room >= 2 ? share[1].slice(0, room) + "\u2026 " + share[2] : "";
      }) : row;
    });
  }

  function wideHeatmap(spec, layout, width) {
    (spec.data || []).forEach(function (t) {
      if (t.type !== "heatmap" || !Array.isArray(t.x) || !t.x.length) { return; }
      var margin = layout.margin || {};
      var cell = (width - (margin.l || 56) - (margin.r || 18) - 70) / t.x.length;
      if (cell < 30) { t.texttemplate = ""; } else { fitCells(t, cell); }
      var bottom = margin.b || 0;
      if (!(layout.xaxis || {}).tickangle && layout.height && bottom > 50) {
        layout.margin = merge(margin, { b: 50 });
        layout.height -= bottom - 50;
      }
    });
  }

  if (Charts) {
    Charts.adjust = function (fig, width) {
      if (fig.narrowed) { return false; }
      if (width < 560) { narrow(fig, fig.layout, width); return true; }  // its titles laid out here
      wideHeatmap(fig, fig.layout, width);
      return false;
    };
  }

  // ---- upload: drag and drop, size check before sending, progress ---------------------------------
  function upload(root) {
    var form = root.querySelector("#upload-form");
    if (!form || form.dataset.ready) { return; }
    form.dataset.ready = "1";
    var input = form.querySelector("input[type=file]");
    var zone = form.querySelector(".dropzone");
    var chosen = form.querySelector("#chosen-file");
    var clientError = form.querySelector(".client-error");
    var progress = form.querySelector(".upload-progress");
    var limit = parseInt(form.dataset.limit, 10);
    var button = form.querySelector("button[type=submit]");

    function megabytes(file) { return (file.size / 1048576).toFixed(1) + " MB"; }
    function tooLarge(file) { return !!(file && limit && file.size > limit); }
    // A chosen file is sent at once, so the button does what is left to do: choose one. (Without this
    // script it is the form's "Upload and continue", after choosing with the drop zone.)
    button.type = "button";
    button.textContent = button.dataset.choose;
    button.addEventListener("click", function () { input.click(); });
    function showError(text) {
      clientError.textContent = text;
      clientError.hidden = !text;
    }
    function mark(state) {
      zone.classList.toggle("is-invalid", state === "invalid");
      zone.classList.toggle("is-valid", state === "valid");
      if (state === "invalid") { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    }
    function picked() {
      var file = input.files && input.files[0];
      showError("");
      mark(null);
      if (!file) { chosen.textContent = ""; return; }
      if (tooLarge(file)) {
        mark("invalid");
        chosen.textContent = "\u2715 " + file.name + " (" + megabytes(file) + ") is too large";
        showError("\u201c" + file.name + "\u201d is " + megabytes(file) + ": this server accepts files up to " +
          form.dataset.limitText + ". Save it as .parquet or .csv (often much smaller than .xlsx), or leave out columns you do not need.");
        return;
      }
      mark("valid");
      chosen.textContent = "\u2713 " + file.name + " (" + megabytes(file) + ")";
      form.requestSubmit();
    }
    input.addEventListener("change", picked);
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("is-over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("is-over"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        picked();
      }
    });
    form.addEventListener("submit", function (e) {
      var file = input.files && input.files[0];
      if (file && limit && file.size > limit) { e.preventDefault(); e.stopImmediatePropagation(); }
    }, true);
    form.addEventListener("htmx:beforeRequest", function () { progress.hidden = false; document.getElementById("flash").innerHTML = ""; });
    form.addEventListener("htmx:xhr:progress", function (e) {
      if (!e.detail.lengthComputable) { return; }
      var pct = Math.round(e.detail.loaded / e.detail.total * 100);
      var bar = progress.querySelector(".bar");
      bar.setAttribute("aria-valuenow", pct);
      bar.querySelector("span").style.width = pct + "%";
      progress.querySelector(".upload-percent").textContent = pct + "%";
    });
    form.addEventListener("htmx:afterRequest", function (e) {
      if (!e.detail.successful) {
        progress.hidden = true; input.value = ""; chosen.textContent = ""; mark(null);
      }
    });
  }

  // ---- step 3: put values in order by dragging, arrow buttons, or typed positions -----------------
  function renumber(list) {
    list.querySelectorAll(".sortable-item").forEach(function (item, i) {
      item.querySelector(".rank").value = i + 1;
    });
    var card = list.closest("[data-order-card]");
    var yes = card && card.querySelector("input[type=radio][value=yes]");
    if (yes) { yes.checked = true; }
  }

  function sortable(root) {
    root.querySelectorAll(".sortable").forEach(function (list) {
      if (list.dataset.ready) { return; }
      list.dataset.ready = "1";
      var dragged = null;
      list.addEventListener("dragstart", function (e) {
        dragged = e.target.closest(".sortable-item");
        if (!dragged) { return; }
        dragged.classList.add("is-dragging");
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", "");
      });
      list.addEventListener("dragover", function (e) {
        var target = e.target.closest(".sortable-item");
        if (!dragged || !target || target === dragged) { return; }
        e.preventDefault();
        var box = target.getBoundingClientRect();
        var after = e.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? target.nextSibling : target);
      });
      list.addEventListener("dragend", function () {
        if (dragged) { dragged.classList.remove("is-dragging"); dragged = null; renumber(list); }
      });
      list.addEventListener("click", function (e) {
        var button = e.target.closest("[data-move]");
        if (!button) { return; }
        var item = button.closest(".sortable-item");
        if (button.dataset.move === "up" && item.previousElementSibling) {
          list.insertBefore(item, item.previousElementSibling);
        } else if (button.dataset.move === "down" && item.nextElementSibling) {
          list.insertBefore(item.nextElementSibling, item);
        }
        button.focus();
        renumber(list);
      });
      list.addEventListener("change", function (e) {
        if (!e.target.classList.contains("rank")) { return; }
        var edited = e.target.closest(".sortable-item");
        var items = Array.prototype.slice.call(list.querySelectorAll(".sortable-item"));
        items.sort(function (a, b) {
          var va = parseFloat(a.querySelector(".rank").value) - (a === edited ? 0.5 : 0);
          var vb = parseFloat(b.querySelector(".rank").value) - (b === edited ? 0.5 : 0);
          return (isNaN(va) ? 1e9 : va) - (isNaN(vb) ? 1e9 : vb);
        });
        items.forEach(function (item) { list.appendChild(item); });
        e.target.focus();
        renumber(list);
      });
    });
  }

  // ---- wide tables: they scroll inside their own box, and say so ------------------------------------
  // A table wider than its card scrolls sideways in its .table-scroll box (the page itself never does).
  // When it does, a line above it says so, its right edge fades while there is more to see, and the
  // box can be scrolled with the keyboard.
  var resizer = ("ResizeObserver" in window) ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var box = entry.target.closest(".table-scroll");
      if (box && box.updateScroll) { box.updateScroll(); }
    });
  }) : null;

  function scrollers(root) {
    var boxes = root.classList && root.classList.contains("table-scroll") ? [root] : [];
    root.querySelectorAll(".table-scroll").forEach(function (box) { boxes.push(box); });
    boxes.forEach(function (box) {
      if (box.dataset.ready) { return; }
      box.dataset.ready = "1";
      var hint = document.createElement("p");
      hint.className = "scroll-hint";
      hint.hidden = true;
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = "Scroll sideways for more columns \u2192";
      box.parentNode.insertBefore(hint, box);
      box.updateScroll = function () {
        var extra = box.scrollWidth - box.clientWidth;
        var more = box.clientWidth > 0 && extra > 2;
        box.classList.toggle("is-scrollable", more);
        box.classList.toggle("at-start", box.scrollLeft <= 1);
        box.classList.toggle("at-end", box.scrollLeft >= extra - 1);
        hint.hidden = !more;
        if (more && !box.hasAttribute("tabindex")) {
          var caption = box.querySelector("caption");
          var heading = box.closest("section, article, details, .card");
          heading = heading && heading.querySelector("h2, h3, summary");
          box.tabIndex = 0;
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", ((caption || heading || {}).textContent || "Table").trim() + ", scrolls sideways");
        }
      };
      box.addEventListener("scroll", box.updateScroll, { passive: true });
      if (resizer) {
        resizer.observe(box);  // the box's width (a phone turned, a <details> opened) ...
        if (box.firstElementChild) { resizer.observe(box.firstElementChild); }  // ... and the table's
      } else {
        window.addEventListener("resize", box.updateScroll);
      }
      box.updateScroll();
    });
  }

  // ---- small helpers --------------------------------------------------------------------------------
  function helpers(root) {
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      if (select.dataset.ready) { return; }
      select.dataset.ready = "1";
      select.addEventListener("change", function () { select.form.requestSubmit(); });
    });
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      if (form.dataset.ready) { return; }
      form.dataset.ready = "1";
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.dataset.confirm)) { e.preventDefault(); }
      });
    });
  }

  // A link to the Options ("… set to 'keep' in Options") opens the closed disclosure it points at.
  function openTarget() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.tagName === "DETAILS") { target.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openTarget);
  document.addEventListener("DOMContentLoaded", openTarget);

  function init(root) {
    if (Charts) { Charts.drawAll(root); }
    scrollers(root);
    upload(root);
    sortable(root);
    helpers(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (e) { init(e.target); });
})();
