// ClusterLab's chart script: the one that draws every chart of report.html (inlined there) and of the
// web app's pages (linked as /static-lib/charts.js), with plotly.min.js.
//
// A chart is an element with a data-chart attribute. Its spec ({"data", "layout"}, perhaps a phone
// variant "narrow") is either the page's #chart-data object under the attribute's value (report.html)
// or the JSON <script> inside the element, drawn into its .chart-canvas (the web app's figures).
// The page's #chart-template block holds the house template (clusterlab.report.charts.theme,
// template_json) and, as data-narrow, the phone width (clusterlab.report.charts.spec, NARROW); neither
// is written here.
//
// Public: ClusterLabCharts.drawAll(root), .draw(el), .redraw(el), .adjust (a page's hook), and the
// helpers .merge and .wrap for such a hook.
(function () {
  "use strict";

  var CONFIG = { displaylogo: false, responsive: true,
    modeBarButtonsToRemove: ["lasso2d", "select2d", "autoScale2d", "toggleSpikelines"],
    toImageButtonOptions: { format: "png", scale: 2 } };

  // Plotly's toolbar (zoom, pan, save as PNG) shows while the pointer is over a chart. A phone has no
  // pointer to move away, so there it would sit on every chart's title for good: a touch screen, or
  // a page narrower than the phone width, draws its charts without it.
  function config() {
    var touch = !!(window.matchMedia && window.matchMedia("(hover: none)").matches);
    var narrowPage = document.documentElement.clientWidth < settings().narrow;
    return merge(CONFIG, { displayModeBar: touch || narrowPage ? false : "hover" });
  }

  var api = { adjust: null };
  var nodes = [];  // every chart handed to drawAll, in page order
  var page = null;
  var store = null;

  function settings() {
    if (!page) {
      var el = document.getElementById("chart-template");
      page = {
        template: el ? JSON.parse(el.textContent) : null,
        narrow: el ? Number(el.dataset.narrow) || 0 : 0,  // px: a narrower chart draws its phone variant
      };
    }
    return page;
  }

  function merge(a, b) {
    // As spec.update in Python: objects into objects; arrays, typed arrays and values replace; null
    // leaves a value alone.
    if (!b || typeof b !== "object" || Array.isArray(b) || b.bdata !== undefined) return b;
    var out = {};
    Object.keys(a && typeof a === "object" && !Array.isArray(a) ? a : {}).forEach(function (k) { out[k] = a[k]; });
    Object.keys(b).forEach(function (k) {
      if (b[k] === null) return;
      var old = out[k];
      out[k] = (old && typeof old === "object" && !Array.isArray(old) && old.bdata === undefined) ? merge(old, b[k]) : b[k];
    });
    return out;
  }

  // Plotly never wraps a title: break it at spaces into lines of at most `chars` characters. With
  // `most`, at most that many lines, the last (and any single word too long) cut with an ellipsis.
  function wrap(text, chars, most) {
    if (typeof text !== "string" || text.length <= chars || text.indexOf("<br>") !== -1) return [text];
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > chars) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    lines.push(line);
    if (!most) return lines;
    if (lines.length > most) {
      lines = lines.slice(0, most);
      lines[most - 1] = lines[most - 1].slice(0, chars - 1).replace(/\s+$/, "") + "\u2026";
    }
    return lines.map(function (l) { return l.length > chars ? l.slice(0, chars - 1) + "\u2026" : l; });
  }

  // A title (and subtitle) wrapped to the chart's width: Plotly puts a title of several lines at the
  // top of the margin, so the margin and the height grow by the lines added.
  function wrapTitle(layout, width) {
    var title = layout.title;
    if (!title) return;
    var size = (title.font && title.font.size) || 15;
    var lines = wrap(title.text, Math.max(16, Math.floor((width - 16) / (size * 0.56))));
    var sub = title.subtitle && title.subtitle.text ? wrap(title.subtitle.text, Math.floor((width - 16) / 6.8)) : [];
    var extra = 20 * (lines.length - 1) + 16 * Math.max(sub.length - 1, 0);
    title = merge(title, { text: lines.join("<br>") });
    if (sub.length) title.subtitle = merge(title.subtitle, { text: sub.join("<br>") });
    if (extra) {
      title = merge(title, { y: 1, yref: "container", yanchor: "top", pad: { t: 12 } });
      layout.margin = merge(layout.margin || {}, { t: ((layout.margin || {}).t || 60) + extra });
      if (layout.height) layout.height += extra;
    }
    layout.title = title;
  }

  // The chart's spec as the page holds it, parsed once; never drawn from directly (see plot).
  function source(el) {
    var key = el.dataset.chart;
    if (key) {
      if (!store) {
        var data = document.getElementById("chart-data");
        store = data ? JSON.parse(data.textContent) : {};
      }
      return store[key] || null;
    }
    if (el.chartSpec === undefined) {
      var script = el.querySelector("script[type='application/json']");
      el.chartSpec = script ? JSON.parse(script.textContent) : null;
    }
    return el.chartSpec;
  }

  function isNarrow(spec, width) { return !!(width && width < settings().narrow && spec.narrow); }

  // Which layout a chart has: its variant and its width to 40 px (titles wrap by the width).
  function keyFor(spec, width) { return (isNarrow(spec, width) ? "n" : "w") + ":" + Math.round(width / 40); }

  function canvasOf(el) { return el.querySelector(".chart-canvas") || el; }

  function figureFor(spec, width) {
    var template = settings().template;
    var narrow = isNarrow(spec, width);
    var layout = merge(template ? { template: template } : {}, spec.layout || {});
    var data = spec.data || [];
    if (narrow) {
      layout = merge(layout, spec.narrow.layout || {});
      var patches = spec.narrow.data || [];
      data = data.map(function (t, i) { return patches[i] ? merge(t, patches[i]) : t; });
    }
    var fig = { data: data, layout: layout, narrowed: narrow };
    // A page's own adjustments; one that lays out the titles itself returns true.
    var titled = !!(width && api.adjust && api.adjust(fig, width));
    if (width && !titled) wrapTitle(fig.layout, width);
    return fig;
  }

  function plot(el, react) {
    var spec = source(el);
    if (!spec || typeof Plotly === "undefined") return;
    var canvas = canvasOf(el);
    var width = canvas.clientWidth || 0;
    // A fresh copy each time: Plotly writes into the layout and traces it draws (ranges, types),
    // which must not carry over from a phone's layout to a wide one.
    var fig = figureFor(JSON.parse(JSON.stringify(spec)), width);
    var variant = fig.narrowed ? "narrow" : "wide";
    // From one variant to the other, a new plot: Plotly.react would keep the old layout's margins
    // for a moment, too wide for the new one.
    if (variant !== el.dataset.variant) react = false;
    el.dataset.layoutKey = keyFor(spec, width);
    el.dataset.variant = variant;
    (react ? Plotly.react : Plotly.newPlot)(canvas, fig.data, fig.layout, config()).then(function () {
      canvas.style.minHeight = "";
      el.dataset.ready = "1";
    });
  }

  // A chart in a closed <details> (or any hidden box) has no width yet: it waits until it is shown.
  function shown(el) { return canvasOf(el).clientWidth > 0; }

  function pending(el) { return !el.dataset.drawn && el.isConnected && shown(el); }

  function settled() {
    if (!nodes.some(pending)) document.body.dataset.chartsDrawn = "all";
  }

  function draw(el) {
    if (el.dataset.drawn || typeof Plotly === "undefined" || !source(el)) return;
    el.dataset.drawn = "1";
    plot(el, false);
    settled();
  }

  // Laid out again now: its spec changed (a page swapped its data-chart), or its box did.
  function redraw(el) {
    el.dataset.drawn = "1";
    plot(el, true);
    settled();
  }

  // Laid out again if its box crossed the phone width (at once, before Plotly's own resize: a wide
  // layout squeezed into a phone's width has no room left for its plot) or, with `all`, if its title
  // would wrap differently.
  function refit(el, all) {
    if (!el.dataset.drawn || !el.isConnected) return false;
    var spec = source(el);
    if (!spec) return false;
    var width = canvasOf(el).clientWidth;
    if (isNarrow(spec, width) !== (el.dataset.variant === "narrow") || (all && keyFor(spec, width) !== el.dataset.layoutKey)) {
      plot(el, true);
      return true;
    }
    return false;
  }

  // Charts near the screen first; the rest one at a time in the background, so the page opens at
  // once however many charts it holds, and printing or searching still finds every one.
  var observer = ("IntersectionObserver" in window) ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) { if (e.isIntersecting) { observer.unobserve(e.target); draw(e.target); } });
  }, { rootMargin: "600px" }) : null;

  var running = false;
  function background() {
    var next = nodes.find(pending);
    if (!next) { running = false; settled(); return; }
    draw(next);
    setTimeout(background, 20);
  }
  function startBackground() {
    if (running) return;
    running = true;
    setTimeout(background, 200);
  }

  function drawAll(root) {
    var found = Array.prototype.slice.call((root || document).querySelectorAll("[data-chart]"));
    if (root && root.matches && root.matches("[data-chart]")) found.unshift(root);
    var fresh = found.filter(function (el) { return nodes.indexOf(el) === -1; });
    if (!fresh.length) return;
    nodes = nodes.filter(function (el) { return el.isConnected; }).concat(fresh);
    delete document.body.dataset.chartsDrawn;
    fresh.forEach(function (el) { if (observer) observer.observe(el); });
    if (document.readyState === "complete") startBackground();
    else window.addEventListener("load", startBackground);
  }

  window.addEventListener("beforeprint", function () { nodes.filter(pending).forEach(draw); });

  // A new width (a phone turned, a window resized): Plotly resizes each chart itself (responsive); a
  // chart that crossed the phone width is laid out again at once, one whose title would wrap
  // differently once the resizing stops.
  var resizing = null;
  window.addEventListener("resize", function () {
    nodes.forEach(function (el) { refit(el, false); });
    clearTimeout(resizing);
    resizing = setTimeout(function () { nodes.forEach(function (el) { refit(el, true); }); }, 150);
  });

  // Charts inside a closed <details> have no width until it opens: drawn (or fitted) then.
  document.addEventListener("toggle", function (e) {
    if (!e.target.open) return;
    nodes.forEach(function (el) {
      if (!e.target.contains(el)) return;
      if (!el.dataset.drawn) draw(el);
      else if (!refit(el, true)) Plotly.Plots.resize(canvasOf(el));
    });
  }, true);

  api.drawAll = drawAll;
  api.draw = draw;
  api.redraw = redraw;
  api.merge = merge;
  api.wrap = wrap;
  window.ClusterLabCharts = api;
})();
