// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so screen reader users hear it first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  // Disable a form's submit buttons once it is sent, to avoid double submission.
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
});

// A filter box above long checkbox lists marked data-filterable (for example a
// goal's community opportunities): typing hides the options that do not match.
// Without this script every option is simply listed.
document.addEventListener("DOMContentLoaded", function () {
  var done = {};
  document.querySelectorAll("input[type=checkbox][data-filterable]").forEach(function (input) {
    var name = input.getAttribute("data-filterable");
    if (done[name]) { return; }
    done[name] = true;
    var group = document.getElementById("div_id_" + name) || input.closest("fieldset");
    if (!group) { return; }
    var options = group.querySelectorAll(".form-check");
    if (options.length < 8) { return; }
    var wrapper = document.createElement("div");
    wrapper.className = "mb-2";
    var label = document.createElement("label");
    label.className = "form-label";
    label.setAttribute("for", "filter_" + name);
    label.textContent = "Filter the list";
    var box = document.createElement("input");
    box.type = "search";
    box.id = "filter_" + name;
    box.className = "form-control";
    box.setAttribute("autocomplete", "off");
    var status = document.createElement("p");
    status.className = "small mb-0";
    status.setAttribute("aria-live", "polite");
    wrapper.appendChild(label);
    wrapper.appendChild(box);
    wrapper.appendChild(status);
    options[0].parentNode.insertBefore(wrapper, options[0]);
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (option) {
        var text = option.textContent.toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        var checked = option.querySelector("input:checked");
        option.hidden = !(match || checked);
        if (!option.hidden) { shown += 1; }
      });
      status.textContent = words.length ? shown + " of " + options.length + " shown" : "";
    });
  });
});

// Network map zoom and pan (progressive enhancement: without this the whole
// map shows and the list view is one link away). Zooming changes the SVG's
// viewBox in the browser only: no request to the server.
(function () {
  var READABLE_PX = 12; // the smallest label on screen at the default view
  var STEP = 1.5;
  var MAX_ZOOM = 8;

  function smallestFont(svg) {
    var smallest = Infinity;
    svg.querySelectorAll("text").forEach(function (text) {
      var size = parseFloat(window.getComputedStyle(text).fontSize);
      if (size && size < smallest) { smallest = size; }
    });
    return smallest === Infinity ? READABLE_PX : smallest;
  }

  function setUp(figure) {
    var viewport = figure.querySelector("[data-map-viewport]");
    var controls = figure.querySelector("[data-map-controls]");
    var svg = viewport && viewport.querySelector("svg");
    if (!svg || !controls || !svg.viewBox || !svg.viewBox.baseVal) { return; }
    var status = controls.querySelector("[data-map-status]");
    var full = { w: svg.viewBox.baseVal.width, h: svg.viewBox.baseVal.height };
    var font = smallestFont(svg);
    var state = { zoom: 1, cx: full.w / 2, cy: full.h / 2 };

    function readableZoom() {
      var width = svg.getBoundingClientRect().width || full.w;
      // A hair more than needed, so rounding the viewBox never drops below it.
      return Math.max(1, (1.01 * READABLE_PX * full.w) / (font * width));
    }

    function draw() {
      var width = svg.getBoundingClientRect().width || full.w;
      var w = full.w / state.zoom;
      var h = full.h;
      if (state.zoom > 1) {
        // A taller window than the whole map's shape: phones are tall.
        var tall = Math.min(1.25, Math.max(full.h / full.w, (window.innerHeight * 0.7) / width));
        h = Math.min(full.h, w * tall);
      }
      state.cx = Math.min(Math.max(state.cx, w / 2), full.w - w / 2);
      state.cy = Math.min(Math.max(state.cy, h / 2), full.h - h / 2);
      svg.setAttribute("viewBox", [state.cx - w / 2, state.cy - h / 2, w, h].map(function (n) {
        return n.toFixed(1);
      }).join(" "));
      viewport.classList.toggle("is-zoomed", state.zoom > 1);
      status.textContent = state.zoom > 1
        ? "Zoomed in " + state.zoom.toFixed(1) + " times. Use the buttons, or the arrow keys, + and − on the map, to move and zoom."
        : "Showing the whole map.";
    }

    function act(action) {
      var w = full.w / state.zoom;
      var move = w / 4;
      if (action === "in") { state.zoom = Math.min(MAX_ZOOM, state.zoom * STEP); }
      else if (action === "out") { state.zoom = Math.max(1, state.zoom / STEP); }
      else if (action === "fit") { state.zoom = 1; state.cx = full.w / 2; state.cy = full.h / 2; }
      else if (action === "left") { state.cx -= move; }
      else if (action === "right") { state.cx += move; }
      else if (action === "up") { state.cy -= move; }
      else if (action === "down") { state.cy += move; }
      else { return false; }
      draw();
      return true;
    }

    controls.addEventListener("click", function (event) {
      var button = event.target.closest("[data-map-action]");
      if (button) { act(button.getAttribute("data-map-action")); }
    });

    var KEYS = {
      ArrowLeft: "left", ArrowRight: "right", ArrowUp: "up", ArrowDown: "down",
      "+": "in", "=": "in", "-": "out", "_": "out", "0": "fit"
    };
    viewport.setAttribute("tabindex", "0");
    viewport.setAttribute("role", "group");
    viewport.setAttribute("aria-label", "Network map. Arrow keys move it, + and − zoom, 0 shows the whole map.");
    viewport.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) { return; }
      if (KEYS[event.key] && act(KEYS[event.key])) { event.preventDefault(); }
    });

    // Dragging moves a zoomed-in map (touch or mouse).
    var drag = null;
    viewport.addEventListener("pointerdown", function (event) {
      if (state.zoom <= 1) { return; }
      drag = { x: event.clientX, y: event.clientY, cx: state.cx, cy: state.cy };
      viewport.setPointerCapture(event.pointerId);
    });
    viewport.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      var perPixel = (full.w / state.zoom) / (svg.getBoundingClientRect().width || full.w);
      state.cx = drag.cx - (event.clientX - drag.x) * perPixel;
      state.cy = drag.cy - (event.clientY - drag.y) * perPixel;
      draw();
    });
    ["pointerup", "pointercancel"].forEach(function (name) {
      viewport.addEventListener(name, function () { drag = null; });
    });

    // Until the user zooms or moves the map, the default view follows the
    // window's size (a phone turned sideways, a zoomed browser).
    var touched = false;
    controls.addEventListener("click", function () { touched = true; });
    viewport.addEventListener("keydown", function () { touched = true; });
    viewport.addEventListener("pointerdown", function () { touched = true; });
    window.addEventListener("resize", function () {
      if (!touched && !printing.matches) { state.zoom = readableZoom(); draw(); }
    });

    // Print shows the whole map.
    var printing = window.matchMedia("print");
    function whole() {
      svg.setAttribute("viewBox", "0 0 " + full.w + " " + full.h);
      viewport.classList.remove("is-zoomed");
    }
    printing.addEventListener("change", function () { if (printing.matches) { whole(); } else { draw(); } });
    window.addEventListener("beforeprint", whole);
    window.addEventListener("afterprint", draw);

    controls.hidden = false;
    state.zoom = readableZoom();
    draw();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".network-figure").forEach(setUp);
  });
})();

// "My map and my goals": open the print window after "Print this summary"
// (the server has recorded it), and record prints started from the browser's
// own menu too.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".person-summary");
  var form = document.querySelector("form[data-summary-print]");
  if (!summary || !form) { return; }
  var recorded = false;
  window.addEventListener("beforeprint", function () {
    if (recorded) { return; }
    recorded = true;
    fetch(form.action, {
      method: "POST", body: new FormData(form), keepalive: true, credentials: "same-origin",
      headers: { "X-CP-Beacon": "print" }
    }).catch(function () {});
  });
  window.addEventListener("afterprint", function () { recorded = false; });
  if (summary.hasAttribute("data-auto-print")) {
    recorded = true; // the button's own request recorded this print
    window.setTimeout(function () { window.print(); }, 100);
  }
});
