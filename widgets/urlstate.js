// Keeps the page address in step with what the workbook shows (?trainee=...&case=...), so
// that a reload, a bookmark or a link opens the same trainee and case again.
//
// Only the keys the kernel names are touched; everything else in the address (the token,
// Voila's own parameters) is kept. history.replaceState changes the address without
// loading anything and without adding a history entry. Values are ids, checked in the
// kernel; URLSearchParams encodes them in any case.
//
// Model traits: params - {key: value}; an empty value removes the key.

function render({ model, el }) {
  el.classList.add("swb-urlstate");
  el.setAttribute("aria-hidden", "true");

  function apply() {
    let url;
    try {
      url = new URL(window.location.href);
    } catch (err) {
      return;
    }
    const params = model.get("params") || {};
    let changed = false;
    for (const [key, value] of Object.entries(params)) {
      const before = url.searchParams.get(key);
      if (value) {
        if (before !== String(value)) {
          url.searchParams.set(key, String(value));
          changed = true;
        }
      } else if (before !== null) {
        url.searchParams.delete(key);
        changed = true;
      }
    }
    if (changed) window.history.replaceState(window.history.state, "", url.toString());
  }

  apply();
  model.on("change:params", apply);
  return () => model.off("change:params", apply);
}

export default { render };
