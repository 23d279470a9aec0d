// A download button for a file that the kernel builds on request.
//
// Why on request: Voila serves no files from the workspace (on purpose), so the bytes must
// travel over the widget channel. Building the artifact only when the button is pressed
// keeps that traffic at zero until somebody wants the file, instead of re-sending it after
// every edit. The file is handed to the browser as a data: URI on a temporary
// <a download> element, which works offline and needs no server route.
//
// Protocol (custom messages):
//   page -> kernel  {type: "request"}
//   kernel -> page  {type: "file", filename, mime, b64}  or  {type: "error", message}
// Model traits: label (button text), description (accessible description), disabled,
// status (plain text shown beside the button).

function render({ model, el }) {
  el.classList.add("swb-download-host");
  const wrap = document.createElement("div");
  wrap.className = "swb-download";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "swb-download-button";
  const status = document.createElement("span");
  status.className = "swb-download-status";
  status.setAttribute("role", "status");
  status.id = `swb-download-${Math.random().toString(36).slice(2, 10)}`;
  button.setAttribute("aria-describedby", status.id);
  wrap.append(button, status);
  el.appendChild(wrap);
  let waiting = false;

  function sync() {
    button.textContent = model.get("label");
    button.setAttribute("aria-label", model.get("description") || model.get("label"));
    button.disabled = model.get("disabled") || waiting;
    status.textContent = model.get("status");
  }

  function save(msg) {
    const link = document.createElement("a");
    link.href = `data:${msg.mime};base64,${msg.b64}`;
    link.download = msg.filename;
    link.rel = "noopener";
    link.style.display = "none";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function onMessage(msg) {
    if (!msg || typeof msg !== "object") return;
    waiting = false;
    if (msg.type === "file") save(msg);
    sync();
  }

  button.addEventListener("click", () => {
    if (waiting || model.get("disabled")) return;
    waiting = true;
    sync();
    model.send({ type: "request" });
  });

  sync();
  const traits = ["label", "description", "disabled", "status"];
  model.on("msg:custom", onMessage);
  for (const name of traits) model.on(`change:${name}`, sync);
  return () => {
    model.off("msg:custom", onMessage);
    for (const name of traits) model.off(`change:${name}`, sync);
  };
}

export default { render };
