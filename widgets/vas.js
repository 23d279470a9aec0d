// Visual-analogue items: one <fieldset> per item holding a native range input drawn as a
// plain line between its two anchors.
//
// Why a native <input type="range">: it is keyboard operable out of the box (arrows move by
// one step, Page Up / Page Down by a larger step, Home / End to the ends) and screen readers
// announce it as a slider. Until a person touches it the item is "not rated": the thumb is
// hidden and aria-valuetext says so, because a slider parked in the middle must not be
// mistaken for an answer of 5.
//
// Model traits (set by supervision_workbook.ui.components.scales.VisualAnalogueScale):
//   label, items [{label, hint}], min, max, step, low_anchor, high_anchor,
//   values [number | null], invalid [int], disabled.
// All strings are inserted with textContent, never as markup.

let counter = 0;

function decimals(step) {
  const text = String(step);
  return text.includes(".") ? text.split(".")[1].length : 0;
}

function snap(value, min, max, step) {
  const k = Math.round((value - min) / step);
  const snapped = Math.min(max, Math.max(min, min + k * step));
  return Number(snapped.toFixed(decimals(step)));
}

function render({ model, el }) {
  counter += 1;
  const uid = `swb-vas-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const root = document.createElement("div");
  root.className = "swb-vas";
  root.setAttribute("role", "group");
  el.classList.add("swb-vas-host");
  el.appendChild(root);
  let rows = [];

  function commit(index, value) {
    const values = [...model.get("values")];
    values[index] = value;
    model.set("values", values);
    model.save_changes();
  }

  function show(row, value) {
    const unset = value === null || value === undefined;
    const places = decimals(model.get("step"));
    row.fieldset.classList.toggle("swb-unset", unset);
    row.output.textContent = unset ? "not rated yet" : value.toFixed(places);
    row.input.setAttribute("aria-valuetext", unset ? "not rated yet" : value.toFixed(places));
  }

  function sync() {
    const values = model.get("values") || [];
    const invalid = new Set(model.get("invalid") || []);
    const disabled = model.get("disabled");
    const min = model.get("min");
    const max = model.get("max");
    rows.forEach((row, i) => {
      const value = values[i];
      if (value !== null && value !== undefined) row.input.value = String(value);
      else row.input.value = String((min + max) / 2);
      row.input.disabled = disabled;
      row.input.setAttribute("aria-invalid", invalid.has(i) ? "true" : "false");
      row.fieldset.classList.toggle("swb-invalid", invalid.has(i));
      show(row, value);
    });
  }

  function build() {
    root.replaceChildren();
    rows = [];
    root.setAttribute("aria-label", model.get("label") || "Rating");
    const min = model.get("min");
    const max = model.get("max");
    const step = model.get("step");
    (model.get("items") || []).forEach((item, i) => {
      const fieldset = document.createElement("fieldset");
      fieldset.className = "swb-vas-row";
      fieldset.dataset.item = String(i);
      fieldset.dataset.testid = `swb-rating-item-${i + 1}`;
      const legend = document.createElement("legend");
      legend.className = "swb-vas-legend";
      legend.id = `${uid}-legend-${i}`;
      legend.textContent = item.label;
      fieldset.appendChild(legend);
      const described = [];
      if (item.hint) {
        const hint = document.createElement("p");
        hint.className = "swb-vas-hint";
        hint.id = `${uid}-hint-${i}`;
        hint.textContent = item.hint;
        fieldset.appendChild(hint);
        described.push(hint.id);
      }
      const line = document.createElement("div");
      line.className = "swb-vas-line";
      const low = document.createElement("span");
      low.className = "swb-vas-anchor swb-vas-low";
      low.id = `${uid}-low-${i}`;
      low.textContent = model.get("low_anchor");
      const high = document.createElement("span");
      high.className = "swb-vas-anchor swb-vas-high";
      high.id = `${uid}-high-${i}`;
      high.textContent = model.get("high_anchor");
      const input = document.createElement("input");
      input.type = "range";
      input.min = String(min);
      input.max = String(max);
      input.step = String(step);
      input.setAttribute("aria-labelledby", legend.id);
      described.push(low.id, high.id);
      input.setAttribute("aria-describedby", described.join(" "));
      const output = document.createElement("output");
      output.className = "swb-vas-output";
      output.setAttribute("aria-hidden", "true");
      const row = { fieldset, input, output };
      input.addEventListener("input", () => {
        show(row, snap(Number(input.value), min, max, step));
      });
      input.addEventListener("change", () => {
        if (!model.get("disabled")) commit(i, snap(Number(input.value), min, max, step));
      });
      line.append(low, input, high);
      fieldset.append(line, output);
      root.appendChild(fieldset);
      rows.push(row);
    });
    sync();
  }

  build();
  const rebuild = () => build();
  const names = ["items", "label", "min", "max", "step", "low_anchor", "high_anchor"];
  for (const name of names) model.on(`change:${name}`, rebuild);
  model.on("change:values", sync);
  model.on("change:invalid", sync);
  model.on("change:disabled", sync);
  return () => {
    for (const name of names) model.off(`change:${name}`, rebuild);
    model.off("change:values", sync);
    model.off("change:invalid", sync);
    model.off("change:disabled", sync);
  };
}

export default { render };
