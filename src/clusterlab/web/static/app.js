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

  function layoutFor(spec, el) {
    var layout = merge(BASE, spec.layout || {});
    Object.keys(layout).forEach(function (k) {
      if (/^[xy]axis\d*$/.test(k)) { layout[k] = merge(AXIS, layout[k]); }
    });
    if (!layout.xaxis && (spec.data || []).some(function (t) { return t.type !== "pie"; })) { layout.xaxis = AXIS; layout.yaxis = AXIS; }
    if (el.clientWidth && el.clientWidth < 420) {
      layout.margin = merge(layout.margin, { l: 46, r: 8 });
      layout.title = merge(layout.title, { font: { size: 13 } });
    }
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
