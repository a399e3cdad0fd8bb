// IolaEdge tuning page, presets: built-in and saved presets in one list, Apply, Delete (saved ones only), "save as".
// Loaded after app.js and uses its helpers ($, write, message, refreshValues). Replies name the problem (bad name, file).
"use strict";

async function loadPresetList(select) {
  const list = await (await fetch("/api/presets")).json();
  const keep = select ?? $("preset").value;
  const box = $("preset"); box.textContent = "";
  for (const [label, names] of [["built-in", list.builtIn], ["saved", list.user]]) {
    if (!names.length) continue;
    const group = document.createElement("optgroup"); group.label = label;
    for (const name of names) {
      const o = document.createElement("option");
      o.value = name; o.textContent = name; o.dataset.kind = label === "built-in" ? "builtin" : "user";
      group.append(o);
    }
    box.append(group);
  }
  if ([...box.options].some((o) => o.value === keep)) box.value = keep;
  $("preset-file").textContent = list.problem ?? (list.file ? `saved in ${list.file}` : "");
  $("preset-file").className = list.problem ? "error" : "muted";
  presetSelected();
}

function presetSelected() {
  const chosen = $("preset").selectedOptions[0];
  $("preset-delete").disabled = !chosen || chosen.dataset.kind !== "user";
}

// Posts, lets `then` bring the page up to date (list, fields), then shows the reply: the message comes last, so
// whatever it announces is already on the page.
async function presetAction(url, name, then) {
  let reply;
  try { reply = await write(url, { name }); } catch (e) { reply = { ok: false, message: String(e) }; }
  if (reply.ok) await then(reply);
  message(reply.message, reply.ok);
}

$("preset").addEventListener("change", presetSelected);
$("preset-apply").addEventListener("click", () => presetAction("/api/preset", $("preset").value, () => refreshValues()));
$("preset-delete").addEventListener("click", () => presetAction("/api/preset/delete", $("preset").value, () => loadPresetList("")));
$("preset-save").addEventListener("click", () => presetAction("/api/preset/save", $("preset-name").value, async (reply) => {
  $("preset-name").value = "";
  await loadPresetList(reply.value);
}));

loadPresetList();
