// ClusterLab pages: small progressive enhancements. Every form also works without this file.
(function () {
  "use strict";

  // ---- charts: drawn with the local plotly.min.js when they scroll into view ----------------------
  var AXIS = { gridcolor: "#edf0f4", zerolinecolor: "#d5dbe5", linecolor: "#c5ccd8", automargin: true,
               title: { font: { size: 12, color: "#3f4a5e" } }, tickfont: { size: 11, color: "#3f4a5e" } };
  var BASE = {
    font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", size: 12, color: "#1b2332" },
    paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff", autosize: true,
    margin: { l: 56, r: 18, t: 52, b: 48 },
    title: { x: 0.01, xanchor: "left", font: { size: 15, color: "#1b2332" } },
    hoverlabel: { font: { size: 12 } },
    legend: { font: { size: 11 } },
  };
  var CONFIG = { responsive: true, displaylogo: false,
                 modeBarButtonsToRemove: ["lasso2d", "select2d", "autoScale2d", "toggleSpikelines"],
                 toImageButtonOptions: { format: "png", scale: 2 } };

  function merge(base, extra) {
    var out = {};
    Object.keys(base || {}).forEach(function (k) { out[k] = base[k]; });
    Object.keys(extra || {}).forEach(function (k) {
      var a = out[k], b = extra[k];
      out[k] = (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) ? merge(a, b) : b;
    });
    return out;
  }

  // Plotly never wraps text: break a plain title at spaces to fit `chars` per line, at most `lines`.
  function wrap(text, chars, lines) {
    if (typeof text !== "string" || text.length <= chars || text.indexOf("<") !== -1) { return text; }
    var out = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > chars) { out.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    out.push(line);
    if (out.length > lines) { out = out.slice(0, lines); out[lines - 1] = out[lines - 1].slice(0, chars - 1).replace(/\s+$/, "") + "\u2026"; }
    return out.map(function (l) { return l.length > chars ? l.slice(0, chars - 1) + "\u2026" : l; }).join("<br>");
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
      layout.yaxis = merge(layout.yaxis, { type: "category" });
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

  function layoutFor(spec, el) {
    var layout = merge(BASE, spec.layout || {});
    Object.keys(layout).forEach(function (k) {
      if (/^[xy]axis\d*$/.test(k)) { layout[k] = merge(AXIS, layout[k]); }
    });
    if (!layout.xaxis && (spec.data || []).some(function (t) { return t.type !== "pie"; })) { layout.xaxis = AXIS; layout.yaxis = AXIS; }
    var width = el.clientWidth || 0;
    if (width && width < 560) { narrow(spec, layout, width); }
    return layout;
  }

  function draw(figure) {
    if (figure.dataset.drawn || typeof Plotly === "undefined") { return; }
    var script = figure.querySelector("script[type='application/json']");
    var canvas = figure.querySelector(".chart-canvas");
    if (!script || !canvas) { return; }
    figure.dataset.drawn = "1";
    var spec = JSON.parse(script.textContent);
    Plotly.newPlot(canvas, spec.data || [], layoutFor(spec, canvas), CONFIG).then(function () {
      canvas.style.minHeight = "";
      figure.dataset.ready = "1";
    });
  }

  var observer = ("IntersectionObserver" in window) ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { observer.unobserve(entry.target); draw(entry.target); }
    });
  }, { rootMargin: "300px 0px" }) : null;

  // Charts in view are drawn first; the rest follow one by one while the browser is idle, so the whole
  // page is ready for printing or saving without drawing dozens of charts at once.
  var queue = [];
  function drainQueue() {
    var figure = queue.shift();
    if (!figure) { return; }
    draw(figure);
    setTimeout(drainQueue, 60);
  }
  function charts(root) {
    var found = root.querySelectorAll("[data-chart]");
    found.forEach(function (figure) {
      if (observer) { observer.observe(figure); }
      queue.push(figure);
    });
    if (found.length) { setTimeout(drainQueue, observer ? 400 : 0); }
  }

  // Charts inside closed <details> have no width until opened: draw (or resize) them then.
  document.addEventListener("toggle", function (e) {
    if (e.target.open) {
      e.target.querySelectorAll("[data-chart]").forEach(function (f) {
        if (f.dataset.drawn && typeof Plotly !== "undefined") { Plotly.Plots.resize(f.querySelector(".chart-canvas")); } else { draw(f); }
      });
    }
  }, true);

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

    function showError(text) {
      clientError.textContent = text;
      clientError.hidden = !text;
    }
    function picked() {
      var file = input.files && input.files[0];
      showError("");
      if (!file) { chosen.textContent = ""; return; }
      chosen.textContent = file.name + " (" + (file.size / 1048576).toFixed(1) + " MB)";
      if (limit && file.size > limit) {
        showError("“" + file.name + "” is " + (file.size / 1048576).toFixed(1) + " MB: this server accepts files up to " +
          form.dataset.limitText + ". Save it as .parquet or .csv (often much smaller than .xlsx), or leave out columns you do not need.");
        return;
      }
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
      if (!e.detail.successful) { progress.hidden = true; input.value = ""; chosen.textContent = ""; }
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

  function init(root) {
    charts(root);
    upload(root);
    sortable(root);
    helpers(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (e) { init(e.target); });
})();
