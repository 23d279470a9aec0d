// Likert rows: one <fieldset> per item, with native radio inputs for the scale points.
//
// Why native radios: the browser already makes a radio group keyboard operable (Tab enters
// the group, the arrow keys move and select, Space selects) and announces "3: Somewhat,
// radio button, 3 of 5" to screen readers. Re-implementing that with divs would be worse.
//
// Model traits (set by supervision_workbook.ui.components.scales.LikertScale):
//   label    - the whole group's accessible name (e.g. the instrument's name)
//   items    - [{label, hint}] in item order; both are plain text (inserted as textContent)
//   points   - [{value, anchor}] the scale points, with the anchor text ("" when none)
//   values   - [number | null] one per item; null means "not answered"
//   invalid  - [int] item indexes to mark as needing an answer
//   disabled - read-only view
//
// Every string from the model is inserted with textContent, never innerHTML: item wording
// comes from text packs and instrument files, which this page must not trust as markup.

let counter = 0;

function fmt(value) {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

function render({ model, el }) {
  counter += 1;
  const uid = `swb-likert-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const root = document.createElement("div");
  root.className = "swb-likert";
  root.setAttribute("role", "group");
  el.classList.add("swb-likert-host");
  el.appendChild(root);
  let rows = [];

  function commit(index, value) {
    const values = [...model.get("values")];
    values[index] = value;
    model.set("values", values);
    model.save_changes();
  }

  function sync() {
    const values = model.get("values") || [];
    const invalid = new Set(model.get("invalid") || []);
    const disabled = model.get("disabled");
    rows.forEach(({ fieldset, inputs }, i) => {
      const current = values[i];
      for (const input of inputs) {
        input.checked = current !== null && current !== undefined && Number(input.value) === current;
        input.disabled = disabled;
        input.setAttribute("aria-invalid", invalid.has(i) ? "true" : "false");
      }
      fieldset.classList.toggle("swb-invalid", invalid.has(i));
      fieldset.classList.toggle("swb-answered", current !== null && current !== undefined);
    });
  }

  function build() {
    root.replaceChildren();
    rows = [];
    root.setAttribute("aria-label", model.get("label") || "Rating");
    const points = model.get("points") || [];
    (model.get("items") || []).forEach((item, i) => {
      const fieldset = document.createElement("fieldset");
      fieldset.className = "swb-likert-row";
      fieldset.dataset.item = String(i);
      fieldset.dataset.testid = `swb-rating-item-${i + 1}`;
      const legend = document.createElement("legend");
      legend.className = "swb-likert-legend";
      legend.textContent = item.label;
      fieldset.appendChild(legend);
      if (item.hint) {
        const hint = document.createElement("p");
        hint.className = "swb-likert-hint";
        hint.id = `${uid}-hint-${i}`;
        hint.textContent = item.hint;
        fieldset.setAttribute("aria-describedby", hint.id);
        fieldset.appendChild(hint);
      }
      const options = document.createElement("div");
      options.className = "swb-likert-options";
      options.style.setProperty("--swb-points", String(Math.max(points.length, 1)));
      const inputs = [];
      for (const point of points) {
        const label = document.createElement("label");
        label.className = "swb-likert-option";
        const input = document.createElement("input");
        input.type = "radio";
        input.name = `${uid}-${i}`;
        input.value = String(point.value);
        input.dataset.value = fmt(point.value);
        input.setAttribute(
          "aria-label",
          point.anchor ? `${fmt(point.value)}: ${point.anchor}` : fmt(point.value),
        );
        input.addEventListener("change", () => {
          if (input.checked && !model.get("disabled")) commit(i, point.value);
        });
        const number = document.createElement("span");
        number.className = "swb-likert-value";
        number.textContent = fmt(point.value);
        label.append(input, number);
        if (point.anchor) {
          const anchor = document.createElement("span");
          anchor.className = "swb-likert-anchor";
          anchor.textContent = point.anchor;
          label.appendChild(anchor);
        }
        options.appendChild(label);
        inputs.push(input);
      }
      fieldset.appendChild(options);
      root.appendChild(fieldset);
      rows.push({ fieldset, inputs });
    });
    sync();
  }

  build();
  const rebuild = () => build();
  model.on("change:items", rebuild);
  model.on("change:points", rebuild);
  model.on("change:label", rebuild);
  model.on("change:values", sync);
  model.on("change:invalid", sync);
  model.on("change:disabled", sync);
  return () => {
    model.off("change:items", rebuild);
    model.off("change:points", rebuild);
    model.off("change:label", rebuild);
    model.off("change:values", sync);
    model.off("change:invalid", sync);
    model.off("change:disabled", sync);
  };
}

export default { render };
