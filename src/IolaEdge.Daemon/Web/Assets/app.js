// IolaEdge tuning page: a live scope fed by server-sent events, the run's figures, and the live settings.
// No build step and no dependencies: the daemon serves this file as is.
"use strict";

const windowMs = 5000;
const colors = ["#0b6bcb", "#d9480f", "#2b8a3e", "#862e9c"];
const state = { sensors: new Map(), detections: [], channels: [], status: null, frames: 0, latencies: [], lastT: 0 };
window.iolaedge = state; // read by the browser tests and the latency measurement

const $ = (id) => document.getElementById(id);
const fmt = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v)) ? "–" : Number(v).toFixed(d);

// Keep the token out of the address bar once the server has turned it into a cookie.
if (location.search.includes("token=")) history.replaceState(null, "", location.pathname);

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))];
}

function onFrame(frame) {
  if (frame.channels.length) state.channels = frame.channels;
  for (const s of frame.sensors) {
    let buf = state.sensors.get(s.id);
    if (!buf) { buf = { t: [], v: s.v.map(() => []) }; state.sensors.set(s.id, buf); }
    buf.t.push(...s.t);
    s.v.forEach((vals, c) => buf.v[c].push(...vals));
    if (s.t.length) state.lastT = Math.max(state.lastT, s.t[s.t.length - 1]);
  }
  state.detections.push(...frame.detections);
  const from = state.lastT - windowMs;
  for (const buf of state.sensors.values()) {
    let cut = 0;
    while (cut < buf.t.length && buf.t[cut] < from) cut++;
    if (cut) { buf.t.splice(0, cut); buf.v.forEach((v) => v.splice(0, cut)); }
  }
  state.detections = state.detections.filter((d) => d.t >= from);
  state.status = frame.status;
  showStatus(frame.status);
  draw();
  state.frames++;
  // Server snapshot -> DOM updated: both clocks are the wall clock (the same machine, or NTP).
  state.latencies.push(performance.timeOrigin + performance.now() - frame.sent);
  if (state.latencies.length > 1500) state.latencies.splice(0, state.latencies.length - 1500);
  if (state.frames % 10 === 0) $("page").textContent = `${fmt(percentile(state.latencies, 50))} / ${fmt(percentile(state.latencies, 99))}`;
}

function showStatus(s) {
  $("state").textContent = s.state;
  $("source").textContent = `${s.source} · detector ${s.detector} · ${s.pages} page(s)`;
  $("cadence").textContent = fmt(s.cadenceStepsPerMinute, 0);
  $("footfalls").textContent = s.footfalls;
  $("drops").textContent = s.drops.total;
  $("drops").title = `ring ${s.drops.ring}, MIDI ${s.drops.midi}, consumers ${s.drops.consumers}, page frames ${s.drops.pageFrames}`;
  $("proc").textContent = `${fmt(s.latency.processingP50, 2)} / ${fmt(s.latency.processingP99, 2)}`;
  $("algo").textContent = `${fmt(s.latency.algorithmicP50)} / ${fmt(s.latency.algorithmicP99)}`;
  $("unsaved").textContent = s.unsaved.length ? `unsaved: ${s.unsaved.join(", ")}` : (s.configFile ? `file: ${s.configFile}` : "");
  showSensors(s);
  showComponents(s);
}

// ---- per-sensor block: link state and battery (BLE), or the source kind for a replay/simulator ----
const lowBatteryPercent = 20; // as LiveSensors.LowBatteryPercent; the server also sets batteryLow/warning
const sourceKinds = { replay: "replayed CSV", simulator: "simulator", other: "source" };
let sensorsShown = "";

function ago(seconds) {
  if (seconds === null || seconds === undefined) return "";
  return seconds < 90 ? `${Math.round(seconds)} s ago` : `${Math.round(seconds / 60)} min ago`;
}

function sensorRow(id, name, link, linkTitle, battery, batteryTitle, warn, lowBattery, linkLost) {
  const row = document.createElement("div");
  row.className = "sensor" + (warn ? " warn" : "");
  row.dataset.sensor = id;
  const n = document.createElement("b"); n.textContent = name;
  const l = document.createElement("span"); l.className = "link" + (linkLost ? " lost" : ""); l.textContent = link; l.title = linkTitle;
  const b = document.createElement("span"); b.className = "battery" + (lowBattery ? " low" : ""); b.textContent = battery; b.title = batteryTitle;
  row.append(n, l, b);
  return row;
}

function showSensors(s) {
  const rows = [];
  if (s.sourceKind === "ble") {
    for (const x of s.sensors) {
      const battery = x.batteryPercent === null
        ? `battery unknown (${x.batteryNote})`
        : `battery ${x.batteryPercent} % · ${fmt(x.batteryVolts, 2)} V · ${ago(x.batteryAgeSeconds)}`;
      const linkTitle = `link losses ${x.linkLosses}` + (x.lastError ? `; last error: ${x.lastError}` : "");
      const batteryTitle = x.batteryLow ? `below ${lowBatteryPercent} %: charge the sensor` : "read over the BLE link";
      rows.push([x.id, x.name, x.link, linkTitle, battery, batteryTitle, x.warning, x.batteryLow, x.linkLost]);
    }
  } else {
    const kind = sourceKinds[s.sourceKind] ?? s.sourceKind;
    const ids = [...state.sensors.keys()];
    for (const id of ids.length ? ids : [0]) {
      rows.push([id, `sensor ${id}`, kind, s.source, "no BLE link, no battery", "", false, false, false]);
    }
  }
  const key = JSON.stringify(rows);
  if (key === sensorsShown) return;
  sensorsShown = key;
  $("sensors").replaceChildren(...rows.map((r) => sensorRow(...r)));
}
// ---- end per-sensor block ----

// ---- components block: each MIDI port or file, the BLE source, the learn input, real-time scheduling ----
let componentsShown = "";

function showComponents(s) {
  const key = JSON.stringify(s.components ?? []);
  if (key === componentsShown) return;
  componentsShown = key;
  const rows = (s.components ?? []).map((c) => {
    const row = document.createElement("div");
    row.className = `component ${c.level}`;
    row.dataset.component = c.component;
    const n = document.createElement("b"); n.textContent = c.component;
    const t = document.createElement("span"); t.textContent = c.text;
    row.append(n, t);
    return row;
  });
  $("components").replaceChildren(...rows);
}
// ---- end components block ----

function draw() {
  const canvas = $("scope");
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) { canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr); }
  const g = canvas.getContext("2d");
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  const right = state.lastT, left = right - windowMs;
  let top = 4;
  for (const buf of state.sensors.values()) for (const v of buf.v[0] ?? []) top = Math.max(top, v);
  top = Math.ceil(top);
  const x = (t) => (t - left) / windowMs * (w - 30);
  const y = (v) => h - 14 - v / top * (h - 24);
  const yScore = (s) => h - 14 - s * (h - 24);
  g.font = "11px 'Liberation Sans', sans-serif";
  g.strokeStyle = "rgba(128,128,128,.25)"; g.fillStyle = "rgba(128,128,128,.9)";
  for (let v = 0; v <= top; v += top > 8 ? 2 : 1) { g.beginPath(); g.moveTo(0, y(v)); g.lineTo(w - 30, y(v)); g.stroke(); g.fillText(`${v} g`, w - 28, y(v) + 4); }
  // The gate's sample threshold on the score axis (0..1 over the full height).
  const gate = state.status?.gate;
  if (gate) {
    g.setLineDash([5, 4]); g.strokeStyle = "rgba(179,38,30,.6)";
    g.beginPath(); g.moveTo(0, yScore(gate.sampleThreshold)); g.lineTo(w - 30, yScore(gate.sampleThreshold)); g.stroke(); g.setLineDash([]);
    g.fillStyle = "rgba(179,38,30,.9)"; g.fillText(`gate ${gate.sampleThreshold}`, 4, yScore(gate.sampleThreshold) - 3);
  }
  // |ω| (°/s, when the sensor streams its gyroscope) on its own scale, labelled on the left; null where a sample has none.
  let topW = 0;
  for (const buf of state.sensors.values()) for (const v of buf.v[1] ?? []) if (v !== null) topW = Math.max(topW, v);
  topW = topW > 0 ? Math.ceil(topW / 250) * 250 : 0;
  const yW = (v) => h - 14 - v / topW * (h - 24);
  if (topW) { g.fillStyle = "rgba(128,128,128,.9)"; g.fillText(`${topW} °/s`, 4, yW(topW) + 12); }
  for (const [id, buf] of state.sensors) {
    buf.v.forEach((vals, c) => {
      if (c > 1 || (c === 1 && !topW)) return;
      const yc = c === 0 ? y : yW;
      g.strokeStyle = colors[id % colors.length]; g.globalAlpha = c === 0 ? 1 : 0.45; g.lineWidth = c === 0 ? 1.4 : 1;
      g.setLineDash(c === 0 ? [] : [3, 2]);
      g.beginPath();
      let drawing = false;
      for (let i = 0; i < buf.t.length; i++) {
        if (vals[i] === null) { drawing = false; continue; }
        const px = x(buf.t[i]), py = yc(vals[i]);
        drawing ? g.lineTo(px, py) : g.moveTo(px, py);
        drawing = true;
      }
      g.stroke(); g.globalAlpha = 1; g.setLineDash([]);
    });
  }
  for (const d of state.detections) {
    const px = x(d.t), color = colors[d.sensor % colors.length];
    g.strokeStyle = color; g.fillStyle = color; g.lineWidth = 2;
    g.beginPath(); g.moveTo(px, h - 14); g.lineTo(px, yScore(d.score)); g.stroke();
    g.beginPath(); g.arc(px, yScore(d.score), 3.5, 0, 2 * Math.PI); g.fill();
    g.fillText(d.score.toFixed(2), px + 4, yScore(d.score) + 10);
  }
  const names = state.channels.filter((c, i) => i === 0 || topW).map((c) => `${c.name} (${c.unit})`).join(", ");
  $("legend").textContent = [...state.sensors.keys()].map((id) => `sensor ${id}`).join(" · ") + (names ? ` — ${names}; dots: detections at their score, dashed: gate threshold` : "");
}

function message(text, ok) {
  const m = $("message");
  m.textContent = text; m.className = ok ? "ok" : "error";
}

async function post(url, body) {
  const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  let reply;
  try { reply = await response.json(); } catch { reply = { ok: false, message: (await response.text?.()) || `HTTP ${response.status}` }; }
  if (!response.ok && reply.ok === undefined) reply = { ok: false, message: `HTTP ${response.status}` };
  return reply;
}

// Settings, saves and presets reach the daemon one at a time, in the order the page made them. Clicking Save or a
// preset takes the focus from a field just typed in, and the field's change fires first: the save must find that
// value in force, and its own reply must be the message that stays. (Learn posts wait for a key press and go alone.)
let writes = Promise.resolve();
function write(url, body) {
  const reply = writes.then(() => post(url, body));
  writes = reply.catch(() => undefined);
  return reply;
}

async function apply(key, value, box) {
  let reply;
  try { reply = await write("/api/settings", { key, value: String(value) }); } catch (e) { reply = { ok: false, message: String(e) }; }
  box.classList.toggle("bad", !reply.ok);
  message(reply.message, reply.ok);
  if (reply.ok) for (const input of box.querySelectorAll("input,select")) setValue(input, reply.value);
}

function setValue(input, value) {
  if (input.type === "checkbox") input.checked = value === "true"; else input.value = value;
}

// MIDI learn: a Learn button beside each mapping entry's note; the next Note On from the synth sets note and channel.
const learnable = /^Midi:Mapping:(Default|Sensors:\d+):Note$/;
let learnState = { enabled: false };

function learnButton(key) {
  const entry = key.replace(/^Midi:Mapping:/, "").replace(/:Note$/, "");
  const b = document.createElement("button");
  b.type = "button"; b.className = "learn"; b.textContent = "Learn"; b.dataset.learn = entry;
  b.title = `press a pad or key on the synth: its note (and channel) becomes ${entry}'s; listening on ${learnState.port}`;
  b.addEventListener("click", async () => {
    if (b.dataset.armed) { await post("/api/learn/cancel"); return; }
    for (const other of document.querySelectorAll("button.learn")) other.disabled = other !== b;
    b.dataset.armed = "1"; b.textContent = "Cancel"; b.classList.add("armed");
    message(`Learning ${entry}: press a pad or key on the synth (${learnState.port}, ${learnState.timeoutSeconds} s)…`, true);
    let reply;
    try { reply = await post("/api/learn", { sensor: entry }); } catch (e) { reply = { ok: false, message: String(e) }; }
    delete b.dataset.armed; b.textContent = "Learn"; b.classList.remove("armed");
    for (const other of document.querySelectorAll("button.learn")) other.disabled = false;
    message(reply.message, reply.ok);
    if (reply.ok) await refreshValues();
  });
  return b;
}

// Puts the values in force into the existing fields (after a learn changed more than one key).
async function refreshValues() {
  const settings = await (await fetch("/api/settings")).json();
  for (const s of settings) {
    const box = document.querySelector(`.setting[data-key="${s.key}"]`);
    if (box) for (const input of box.querySelectorAll("input,select")) setValue(input, s.value);
  }
}

function control(s) {
  const box = document.createElement("div");
  box.className = "setting"; box.dataset.key = s.key;
  const label = document.createElement("label");
  label.textContent = s.key.replace(/^(Detector|Midi):/, ""); label.title = s.key;
  box.append(label);
  const inputs = [];
  if (s.kind === "boolean") {
    const c = document.createElement("input"); c.type = "checkbox"; inputs.push(c);
  } else if (s.kind === "choice") {
    const sel = document.createElement("select");
    for (const name of s.choices) { const o = document.createElement("option"); o.textContent = name; sel.append(o); }
    inputs.push(sel);
  } else {
    const step = s.kind === "integer" ? 1 : niceStep(s.min, s.max);
    if (s.min !== null && s.max !== null && s.max > s.min) {
      const r = document.createElement("input"); r.type = "range"; r.min = s.min; r.max = s.max; r.step = step; inputs.push(r);
    } else {
      box.append(document.createElement("span"));
    }
    const n = document.createElement("input"); n.type = "number"; n.step = "any"; inputs.push(n);
  }
  for (const input of inputs) {
    input.name = s.key;
    setValue(input, s.value);
    input.addEventListener("change", () => apply(s.key, input.type === "checkbox" ? input.checked : input.value, box));
    if (input.type === "range") input.addEventListener("input", () => { const n = box.querySelector("input[type=number]"); if (n) n.value = input.value; });
    box.append(input);
  }
  if (learnState.enabled && learnable.test(s.key)) box.append(learnButton(s.key));
  return box;
}

function niceStep(min, max) {
  if (min === null || max === null) return "any";
  const raw = (max - min) / 200, p = Math.pow(10, Math.floor(Math.log10(raw)));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
}

async function loadSettings() {
  try { learnState = await (await fetch("/api/learn")).json(); } catch { learnState = { enabled: false }; }
  const response = await fetch("/api/settings");
  const settings = await response.json();
  if (!settings.length) { setTimeout(loadSettings, 500); return; }
  const groups = new Map();
  for (const s of settings) { if (!groups.has(s.group)) groups.set(s.group, []); groups.get(s.group).push(s); }
  const root = $("settings"); root.textContent = "";
  let first = true;
  for (const [name, list] of groups) {
    const d = document.createElement("details"); d.open = first; first = false;
    const sum = document.createElement("summary"); sum.textContent = `${name} (${list.length})`; d.append(sum);
    for (const s of list) d.append(control(s));
    root.append(d);
  }
}

$("save").addEventListener("click", async () => {
  let reply;
  try { reply = await write("/api/save"); } catch (e) { reply = { ok: false, message: String(e) }; }
  message(reply.message, reply.ok);
});

function connect() {
  const source = new EventSource("/api/stream");
  source.addEventListener("frame", (e) => onFrame(JSON.parse(e.data)));
  source.onerror = () => { $("state").textContent = "reconnecting…"; };
}

connect();
loadSettings();
// Presets: presets.js.
