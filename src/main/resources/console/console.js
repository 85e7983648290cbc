// Tributary's web console: a page over the REST API (docs/rest-api.md), no build step, no library.
// It polls GET /api/pipelines once a second; the events/s sparkline is the change of events.out between polls.
"use strict";

const POLL_MS = 1000;
const HISTORY = 60; // points per sparkline: one per poll
const history = new Map(); // pipeline name -> [{t, out, rate}]
let selected = null;       // the pipeline shown in the detail view
let lastPrecheck = null;   // {name, checks}
let labelFilter = "";      // show only the pipelines that carry this label ("" = all)

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? "" : String(c)));
  return e;
}

/** A call of the API; the token (if the server wants one) rides along. Throws {status, body} on a non-2xx answer. */
async function api(method, path, body, contentType) {
  const headers = {};
  const token = sessionStorage.getItem("tributary.token");
  if (token) headers["Authorization"] = "Bearer " + token;
  if (body != null) headers["Content-Type"] = contentType || "application/json";
  const r = await fetch(path, { method, headers, body });
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
  if (r.status === 401) $("token-bar").hidden = false;
  if (!r.ok) throw { status: r.status, body: data };
  return data;
}

function say(text) {
  $("message").textContent = text || "";
}

function errorText(e) {
  if (e && e.body && e.body.error) return e.body.error;
  if (e && e.status) return "HTTP " + e.status;
  return String(e && e.message || e);
}

function fmtCount(n) {
  return n == null ? "" : Number(n).toLocaleString("en-US");
}

function fmtLag(seconds) {
  if (seconds == null) return "–";
  if (seconds < 60) return seconds.toFixed(1) + " s";
  if (seconds < 3600) return (seconds / 60).toFixed(1) + " min";
  return (seconds / 3600).toFixed(1) + " h";
}

function record(p, now) {
  const points = history.get(p.name) || [];
  const out = p.events ? p.events.out : 0;
  const prev = points[points.length - 1];
  const rate = prev && now > prev.t ? Math.max(0, (out - prev.out) * 1000 / (now - prev.t)) : 0;
  points.push({ t: now, out, rate });
  while (points.length > HISTORY) points.shift();
  history.set(p.name, points);
  return rate;
}

function sparkline(points) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "spark");
  svg.setAttribute("viewBox", "0 0 120 24");
  svg.setAttribute("preserveAspectRatio", "none");
  const max = Math.max(1, ...points.map((p) => p.rate));
  const step = 120 / (HISTORY - 1);
  const offset = HISTORY - points.length;
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", points.map((p, i) => ((offset + i) * step).toFixed(1) + "," + (23 - 22 * p.rate / max).toFixed(1)).join(" "));
  svg.append(line);
  return svg;
}

/** The buttons a pipeline in this state can use. */
function actionsFor(p) {
  const s = p.state;
  const act = (label, verb, cls) => el("button", {
    type: "button", class: cls || "", "data-action": verb, "data-pipeline": p.name,
    onclick: (ev) => { ev.stopPropagation(); control(p.name, verb); },
  }, label);
  const buttons = [];
  if (s === "RUNNING" || s === "INIT") buttons.push(act("Pause", "pause"));
  if (s === "PAUSED") buttons.push(act("Resume", "resume"));
  if (s === "STOPPED" || s === "FAILED" || s === "SUCCESS") buttons.push(act("Start", "start", "primary"));
  if (s !== "STOPPED") buttons.push(act("Stop", "stop"));
  return buttons;
}

async function control(name, verb) {
  try {
    await api("POST", "/api/pipelines/" + encodeURIComponent(name) + "/" + verb);
    say("");
  } catch (e) {
    say(verb + " " + name + ": " + errorText(e));
  }
  refresh();
}

/** Rows are kept and updated in place, and buttons only redrawn when the state changes, so a click is never lost to a redraw. */
function renderTable(pipelines, now, existing) {
  const body = $("pipelines").querySelector("tbody");
  const rows = new Map([...body.children].map((r) => [r.dataset.pipeline, r]));
  for (const p of pipelines) {
    const rate = record(p, now);
    const ev = p.events || {};
    let row = rows.get(p.name);
    if (!row) {
      row = el("tr", { "data-pipeline": p.name },
        el("td", {}, el("a", { class: "name", onclick: () => select(p.name) }, p.name), el("span", { class: "labels" })),
        el("td", { class: "state" }), el("td", { class: "mode" }), el("td", { class: "ends" }),
        el("td", { class: "num events-in" }), el("td", { class: "num events-out" }), el("td", { class: "num lag" }),
        el("td", {}, el("div", { class: "rate" }, el("span", { class: "events-rate" }), el("span", { class: "spark" }))),
        el("td", { class: "row-actions" }));
    }
    body.append(row); // (re)appended in the API's order
    rows.delete(p.name);
    row.classList.toggle("selected", p.name === selected);
    const cell = (cls) => row.querySelector("." + cls);
    if (row.dataset.state !== p.state) {
      row.dataset.state = p.state;
      cell("state").replaceChildren(el("span", { class: "badge " + p.state }, p.state));
      cell("row-actions").replaceChildren(el("div", { class: "actions" }, ...actionsFor(p)));
    }
    cell("mode").textContent = p.mode;
    const owner = p.cluster && p.cluster.owner;
    cell("labels").replaceChildren(...(p.labels || []).map((l) => el("span", { class: "label" }, l)),
      ...(owner ? [el("span", { class: "label node", title: "the cluster node that runs it" }, "on " + owner.node)] : []));
    cell("ends").textContent = (p.source ? p.source.type : "") + " → " + (p.sink ? p.sink.type : "");
    cell("events-in").textContent = fmtCount(ev.in);
    cell("events-out").textContent = fmtCount(ev.out);
    cell("lag").textContent = fmtLag(p.lagSeconds);
    cell("events-rate").textContent = Math.round(rate).toLocaleString("en-US");
    cell("spark").replaceChildren(sparkline(history.get(p.name)));
  }
  for (const [name, row] of rows) {
    row.remove();
    if (!existing.has(name)) history.delete(name); // a pipeline only filtered out keeps its sparkline
  }
  $("empty").hidden = pipelines.length > 0 || labelFilter !== "";
}

/** The label filter offers every label the pipelines carry; the one chosen stays while it is carried by any. */
function renderLabels(pipelines) {
  const labels = [...new Set(pipelines.flatMap((p) => p.labels || []))].sort();
  if (labelFilter && !labels.includes(labelFilter)) labelFilter = "";
  const select = $("label-filter");
  const options = ["", ...labels];
  if ([...select.options].map((o) => o.value).join("\n") !== options.join("\n")) {
    select.replaceChildren(...options.map((l) => el("option", { value: l }, l || "all")));
  }
  select.value = labelFilter;
}

function renderDetail(p) {
  $("detail").hidden = !p;
  if (!p) return;
  $("detail-name").textContent = p.name;
  const state = $("detail-state");
  state.textContent = p.state;
  state.className = "badge " + p.state;
  if ($("detail-actions").dataset.key !== p.name + "/" + p.state) { // redrawn on a change only: a click is never lost
    $("detail-actions").dataset.key = p.name + "/" + p.state;
    const del = [el("button", { type: "button", class: "danger", id: "delete", onclick: () => remove(p) }, "Delete…")];
    if (p.source && p.source.slot) {
      del.push(el("label", { class: "hint" }, el("input", { type: "checkbox", id: "drop-slot" }), " and drop its replication slot"));
    }
    $("detail-actions").replaceChildren(...actionsFor(p), ...del);
  }

  const ev = p.events || {};
  const facts = [
    ["Mode", p.mode],
    ["Source", p.source && [p.source.type, p.source.host && p.source.host + ":" + p.source.port, p.source.database].filter(Boolean).join(" ")],
    ["Sink", p.sink && [p.sink.type, p.sink.brokers || p.sink.namesrv || p.sink.url || p.sink.uri].filter(Boolean).join(" ")],
    ["Format", p.format],
    ["Tables", (p.objects || []).map((o) => o.table + (o.topic ? " → " + o.topic : "")).join(", ")],
    ["Events", `in ${fmtCount(ev.in)} · out ${fmtCount(ev.out)} · filtered ${fmtCount(ev.filtered)} · deduplicated ${fmtCount(ev.deduplicated)} · dead-lettered ${fmtCount(ev.deadLettered)}`],
    ["Lag", fmtLag(p.lagSeconds)],
    ["Last commit time", p.lastCommitTs || "–"],
    ["Last source position", p.position ? JSON.stringify(p.position) : "–"],
  ];
  if (p.snapshot && (p.snapshot.tables > 0 || p.snapshot.running || p.snapshot.completed)) {
    facts.push(["Snapshot", `${p.snapshot.completed ? "completed" : p.snapshot.running ? "running" : "not started"} · ` +
      `${fmtCount(p.snapshot.rowsRead)} rows · ${p.snapshot.tablesRemaining} of ${p.snapshot.tables} tables left`]);
  }
  if (p.cluster) {
    const o = p.cluster.owner;
    facts.push(["Node", o ? `${o.node} (epoch ${o.epoch}, since ${o.since})` : `none yet · assigned to ${p.cluster.assignedNode || "–"}`]);
  }
  if (p.engine) {
    facts.push(["Engine", `${p.engine.state} since ${p.engine.since} · ${fmtCount(p.engine.batchesCommitted)} batches committed`]);
  }
  $("detail-status").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v == null ? "–" : v)]));

  const errors = (p.errors && p.errors.recent) || [];
  const items = errors.slice().reverse().map((e) => el("li", {}, el("code", {}, e.at), " ", e.error));
  if (p.engine && p.engine.error) items.unshift(el("li", {}, el("code", {}, "engine"), " ", p.engine.error));
  $("detail-errors").replaceChildren(...(items.length ? items : [el("li", { class: "hint" }, "none")]));
  const notices = p.notices || [];
  $("detail-notices").replaceChildren(...(notices.length ? notices.map((n) => el("li", {}, n)) : [el("li", { class: "hint" }, "none")]));
  if (!lastPrecheck || lastPrecheck.name !== p.name) renderPrecheck(null);
}

function renderPrecheck(result) {
  const body = $("precheck").querySelector("tbody");
  body.replaceChildren();
  $("precheck-summary").textContent = "";
  if (!result) return;
  $("precheck-summary").replaceChildren(el("span", { class: "badge " + (result.passed ? "PASS" : "FAIL") }, result.passed ? "passed" : "failed"));
  for (const c of result.checks) {
    const skip = el("input", { type: "checkbox", class: "skip", "data-check": c.check });
    if (c.result === "SKIPPED") skip.checked = true;
    body.append(el("tr", { "data-check": c.check },
      el("td", {}, skip), el("td", {}, c.check), el("td", {}, el("span", { class: "badge " + c.result }, c.result)), el("td", {}, c.detail)));
  }
}

async function runPrecheck() {
  if (!selected) return;
  const skip = [...document.querySelectorAll("#precheck input.skip:checked")].map((i) => i.dataset.check);
  $("precheck-summary").textContent = "checking…";
  try {
    const q = skip.length ? "?skip=" + encodeURIComponent(skip.join(",")) : "";
    const result = await api("POST", "/api/pipelines/" + encodeURIComponent(selected) + "/precheck" + q);
    lastPrecheck = { name: selected, result };
    renderPrecheck(result);
  } catch (e) {
    $("precheck-summary").textContent = errorText(e);
  }
}

async function remove(p) {
  const dropSlot = $("drop-slot") && $("drop-slot").checked;
  if (!confirm(`Delete pipeline ${p.name}? It stops and its file is removed; its offsets stay` +
    (dropSlot ? `, its replication slot ${p.source.slot} is dropped.` : "."))) return;
  try {
    await api("DELETE", "/api/pipelines/" + encodeURIComponent(p.name) + (dropSlot ? "?dropSlot=true" : ""));
    selected = null;
    say("");
  } catch (e) {
    say("delete " + p.name + ": " + errorText(e));
  }
  refresh();
}

async function create() {
  const text = $("create-yaml").value;
  const list = $("create-errors");
  list.replaceChildren();
  try {
    const contentType = text.trim().startsWith("{") ? "application/json" : "application/yaml";
    const status = await api("POST", "/api/pipelines", text, contentType);
    $("create").hidden = true;
    $("create-yaml").value = "";
    select(status.name);
  } catch (e) {
    const errors = Array.isArray(e.body) ? e.body : [{ key: "", reason: errorText(e) }];
    list.replaceChildren(...errors.map((x) => el("li", { class: "create-error" }, x.key ? el("code", {}, x.key) : "", x.key ? " " : "", x.reason)));
  }
}

function select(name) {
  selected = name;
  lastPrecheck = null;
  renderPrecheck(null);
  refresh();
}

let refreshing = false;
async function refresh() {
  if (refreshing) return;
  refreshing = true;
  try {
    const pipelines = await api("GET", "/api/pipelines");
    $("token-bar").hidden = true;
    renderLabels(pipelines);
    const now = Date.now();
    const shown = pipelines.filter((p) => !labelFilter || (p.labels || []).includes(labelFilter));
    pipelines.filter((p) => !shown.includes(p)).forEach((p) => record(p, now)); // hidden ones' rates go on
    renderTable(shown, now, new Set(pipelines.map((p) => p.name)));
    renderDetail(pipelines.find((p) => p.name === selected));
    if (selected && !pipelines.some((p) => p.name === selected)) selected = null;
    const reload = await api("GET", "/api/routes/reload");
    $("reload-error").hidden = !reload.lastError;
    $("reload-error").textContent = reload.lastError
      ? "Route files: " + reload.failed + " reload(s) failed; the last: " + reload.lastError : "";
  } catch (e) {
    if (e.status !== 401) say("cannot reach the API: " + errorText(e));
  } finally {
    refreshing = false;
  }
  try {
    const health = await fetch("/api/health").then((r) => r.json());
    $("health").textContent = health.status;
    $("health").className = "badge " + health.status;
  } catch (e) {
    $("health").textContent = "unreachable";
    $("health").className = "badge DOWN";
  }
}

$("show-create").addEventListener("click", () => { $("create").hidden = false; $("create-yaml").focus(); });
$("create-cancel").addEventListener("click", () => { $("create").hidden = true; $("create-errors").replaceChildren(); });
$("create-submit").addEventListener("click", create);
$("precheck-run").addEventListener("click", runPrecheck);
$("label-filter").addEventListener("change", (e) => { labelFilter = e.target.value; refresh(); });
$("token-save").addEventListener("click", () => {
  sessionStorage.setItem("tributary.token", $("token").value.trim());
  $("token").value = "";
  refresh();
});
refresh();
setInterval(refresh, POLL_MS);
