// Learn: the K-Means player. The map and the inertia are house charts (drawn by /static-lib/charts.js
// from the spec in their JSON <script>); their spec carries Plotly frames (clusterlab.learn), one per
// step. Showing step i merges frame i into the spec and asks the chart script to lay the chart out
// again, so the theme, the phone layout and the title wrapping stay the chart script's.
//
// The player: first, back, step, play, pause, speed and a slider; the distance table under it shows
// each row's distance to each centre at the step shown, the nearest highlighted, ten rows a page.
// State for tests and assistive tech: the box's data-step, data-playing; the status <output>.
(function () {
  "use strict";

  var WORDS = {
    start: "The starting centres. No row belongs to any of them yet; the table already shows which centre is nearest to each row.",
    assign: "Assign: every row takes the colour of its nearest centre. Rows marked \u2192 in the table had another colour before.",
    move: "Move: every centre jumps to the mean of its rows. Some rows are now nearer another centre: they change at the next assignment."
  };
  var PAGE = 10;
  var BASE_DELAY = 900;  // ms per step at normal speed

  function charts() { return window.ClusterLabCharts; }

  function specOf(el) {
    // The chart script keeps a chart's parsed spec on the element; parse it first if it has not yet.
    if (el.chartSpec === undefined) {
      var script = el.querySelector("script[type='application/json']");
      el.chartSpec = script ? JSON.parse(script.textContent) : null;
    }
    return el.chartSpec;
  }

  function frameSpec(base, frame) {
    var merge = charts().merge;
    var data = base.data.map(function (trace, i) {
      var patch = frame && frame.data ? frame.data[i] : null;
      return patch ? merge(trace, patch) : trace;
    });
    var layout = frame && frame.layout ? merge(base.layout, frame.layout) : base.layout;
    var out = { data: data, layout: layout };
    if (base.narrow) { out.narrow = base.narrow; }
    return out;
  }

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) { el.className = cls; }
    return el;
  }

  function Player(box) {
    this.box = box;
    this.map = box.querySelector("[data-role='map']");
    this.inertia = box.querySelector("[data-role='inertia']");
    this.bases = [this.map, this.inertia].map(function (el) {
      var spec = specOf(el);
      return { el: el, base: { data: spec.data, layout: spec.layout, narrow: spec.narrow }, frames: spec.frames || [] };
    });
    this.table = JSON.parse(box.querySelector("script[data-role='table']").textContent);
    this.last = this.table.steps.length - 1;
    this.step = 0;
    this.page = 0;
    this.speed = 1;
    this.timer = null;
    this.bind();
    this.show(0);
  }

  Player.prototype.control = function (act) { return this.box.querySelector("[data-act='" + act + "']"); };

  Player.prototype.bind = function () {
    var self = this;
    this.control("first").addEventListener("click", function () { self.pause(); self.show(0); });
    this.control("back").addEventListener("click", function () { self.pause(); self.show(self.step - 1); });
    this.control("step").addEventListener("click", function () { self.pause(); self.show(self.step + 1); });
    this.control("play").addEventListener("click", function () { self.play(); });
    this.control("pause").addEventListener("click", function () { self.pause(); });
    this.control("speed").addEventListener("change", function (e) {
      self.speed = Number(e.target.value) || 1;
      if (self.timer) { self.pause(); self.play(); }
    });
    this.control("slider").addEventListener("input", function (e) { self.pause(); self.show(Number(e.target.value)); });
    this.control("prev-page").addEventListener("click", function () { self.page -= 1; self.rows(); });
    this.control("next-page").addEventListener("click", function () { self.page += 1; self.rows(); });
  };

  Player.prototype.play = function () {
    var self = this;
    if (this.timer) { return; }
    if (this.step >= this.last) { this.show(0); }
    this.box.dataset.playing = "1";
    this.sync();
    this.timer = setInterval(function () {
      if (self.step >= self.last) { self.pause(); return; }
      self.show(self.step + 1);
      if (self.step >= self.last) { self.pause(); }
    }, BASE_DELAY / this.speed);
  };

  Player.prototype.pause = function () {
    if (this.timer) { clearInterval(this.timer); }
    this.timer = null;
    this.box.dataset.playing = "";
    this.sync();
  };

  Player.prototype.sync = function () {
    var playing = !!this.timer;
    this.control("play").disabled = playing;
    this.control("pause").disabled = !playing;
    this.control("first").disabled = this.step === 0;
    this.control("back").disabled = this.step === 0;
    this.control("step").disabled = this.step >= this.last;
  };

  Player.prototype.show = function (i) {
    i = Math.max(0, Math.min(this.last, i));
    this.step = i;
    this.box.dataset.step = String(i);
    this.bases.forEach(function (c) {
      c.el.chartSpec = frameSpec(c.base, c.frames[i]);
      if (typeof Plotly !== "undefined" && charts()) { charts().redraw(c.el); }
    });
    this.control("slider").value = String(i);
    var kind = this.table.steps[i].kind;
    this.box.querySelector("[data-role='status']").textContent = "Step " + i + " of " + this.last + (i === this.last ? " (settled)" : "");
    this.box.querySelector("[data-role='words']").textContent = WORDS[kind] + (i === this.last ? " No row changes any more: K-Means has converged." : "");
    this.sync();
    this.rows();
  };

  Player.prototype.rows = function () {
    var t = this.table, step = t.steps[this.step], previous = t.steps[Math.max(0, this.step - 2)];
    var pages = Math.max(1, Math.ceil(t.rows.length / PAGE));
    this.page = Math.max(0, Math.min(pages - 1, this.page));
    var from = this.page * PAGE, to = Math.min(t.rows.length, from + PAGE);
    var body = this.box.querySelector("[data-role='rows']");
    body.textContent = "";
    for (var r = from; r < to; r++) {
      var d = step.d[r], nearest = 0;
      for (var c = 1; c < d.length; c++) { if (d[c] < d[nearest]) { nearest = c; } }
      var label = step.labels[r];
      var tr = document.createElement("tr");
      tr.appendChild(text("td", String(t.rows[r]), "num"));
      var moved = step.kind === "assign" && this.step > 1 && previous.labels[r] !== label;
      var now = text("td", label < 0 ? "\u2013" : (moved ? "\u2192 " : "") + "Centre " + (label + 1), moved ? "switch" : "");
      if (label >= 0 && t.colours) {
        var swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = t.colours[label];
        now.insertBefore(swatch, now.firstChild);
      }
      tr.appendChild(now);
      for (c = 0; c < d.length; c++) {
        var cell = text("td", d[c].toFixed(2), "num" + (c === nearest ? " nearest" : ""));
        if (c === nearest) { cell.title = "nearest centre"; }
        tr.appendChild(cell);
      }
      body.appendChild(tr);
    }
    this.box.querySelector("[data-role='page']").textContent = "Rows " + (from + 1) + "\u2013" + to + " of " + t.rows.length;
    this.control("prev-page").disabled = this.page === 0;
    this.control("next-page").disabled = this.page >= pages - 1;
  };

  function init(root) {
    (root || document).querySelectorAll("[data-lesson-steps]").forEach(function (box) {
      if (box.player) { return; }
      box.player = new Player(box);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (e) { init(e.target); });
})();
