// In-page probes for the browser benchmarks (benchmarks/bench_browser.py).
//
// Installed with Playwright's add_init_script, so they run before any of Voila's scripts,
// from the start of the navigation. They only read the DOM (once per animation frame) and
// never change the page. Times are performance.now() values: milliseconds since the
// navigation started (the document's time origin).
//
// window.__BENCH_EXPECT__ = {widgets: N, charts: C} is prepended by the harness:
// the page counts as interactive when at least N widget views and C plotly charts are
// visible at once. N and C are what the same page shows once it has settled (learned from
// a warm-up load in the same run), so one definition serves every notebook.
(() => {
  const expect = window.__BENCH_EXPECT__ || { widgets: Infinity, charts: 0 };
  const state = { tti: null, controlsAt: null, chartAt: null, widgets: 0, charts: 0 };
  window.__bench = state;

  const visible = (el) => (el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null);
  // A widget view is a Lumino widget inside a cell's output that is not one of JupyterLab's
  // own output-area parts (those carry jp-* classes). This counts ipywidgets views whatever
  // their CSS (ToggleButtons has no "jupyter-widgets" class) and anywidget views (no class).
  const isView = (el) => ![...el.classList].some((c) => c.startsWith("jp-"));
  const drawn = (gd) => !!(gd._fullLayout && gd.querySelector(".main-svg") && visible(gd));

  window.__benchCount = () => {
    let widgets = 0;
    let charts = 0;
    for (const el of document.querySelectorAll(".jp-OutputArea-output .lm-Widget")) {
      if (isView(el) && visible(el)) widgets++;
    }
    for (const gd of document.querySelectorAll(".js-plotly-plot")) if (drawn(gd)) charts++;
    return { widgets, charts };
  };

  const tick = () => {
    const c = window.__benchCount();
    state.widgets = c.widgets;
    state.charts = c.charts;
    const now = performance.now();
    if (state.controlsAt === null && c.widgets >= expect.widgets) state.controlsAt = now;
    if (state.chartAt === null && c.charts >= expect.charts) state.chartAt = now;
    if (state.controlsAt !== null && state.chartAt !== null) {
      state.tti = Math.max(state.controlsAt, state.chartAt);
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);

  // Interaction latency: arm, then the harness clicks a rating. t0 is the mousedown's own
  // timestamp (not the moment Python asked for the click), and the measurement ends when a
  // chart reports plotly_afterplot, or a chart that was not there before is drawn (a view
  // that replaces its figure instead of updating it).
  window.__benchArm = () => {
    const run = { t0: null, done: null, how: null };
    window.__benchInt = run;
    const before = new Set(document.querySelectorAll(".js-plotly-plot"));
    for (const gd of before) {
      if (!gd.__benchHooked && typeof gd.on === "function") {
        gd.__benchHooked = true;
        gd.on("plotly_afterplot", () => {
          const r = window.__benchInt;
          if (r && r.t0 !== null && r.done === null) {
            r.done = performance.now();
            r.how = "afterplot";
          }
        });
      }
    }
    const down = (ev) => {
      if (run.t0 === null) run.t0 = ev.timeStamp;
    };
    document.addEventListener("mousedown", down, { capture: true, once: true });
    const poll = () => {
      if (run.done !== null) return;
      if (run.t0 !== null) {
        for (const gd of document.querySelectorAll(".js-plotly-plot")) {
          if (!before.has(gd) && drawn(gd)) {
            run.done = performance.now();
            run.how = "new-chart";
            return;
          }
        }
      }
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  };
})();
