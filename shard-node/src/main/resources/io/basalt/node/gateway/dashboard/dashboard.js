// The live dashboard of one Basalt node (docs/dashboard.md). No dependencies, no build step.
// It reads GET /v1/cluster every second and listens to the finality stream (/v1/stream) of the node
// that served it; it never asks another node (the gateway grants no CORS).
"use strict";

const POLL_MS = 1000;
const POLL_TIMEOUT_MS = 2500;
const STREAM_RETRY_MS = 2000;
const WINDOW_MS = 60_000;
const RECENT_ROWS = 20;
const RECENT_RENDER_MS = 250;

const state = {
  reachable: null,       // null until the first answer or failure
  lastContactMs: 0,
  failure: "",
  streamOpen: false,
  streamOpenedMs: 0,
  commitTimes: [],       // arrival time (ms) of each COMMITTED event in the window
  latencies: [],         // {atMs, ms}: ACCEPTED to COMMITTED of a transaction this node admitted
  acceptedAt: new Map(), // txId -> arrival time of its ACCEPTED event
  recent: { commits: [], settlements: [] }, // newest first, at most RECENT_ROWS each
  recentChanged: false,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === "class") node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function clock(ms) {
  return ms ? new Date(ms).toLocaleTimeString() : "–";
}

function short(hex) {
  return hex.length > 16 ? hex.slice(0, 8) + "…" + hex.slice(-8) : hex;
}

// ---- connection state -------------------------------------------------------------------------

function renderConnection() {
  const banner = $("connection");
  document.body.classList.toggle("stale", state.reachable === false);
  if (state.reachable === false) {
    banner.className = "connection unreachable";
    banner.setAttribute("role", "alert");
    banner.textContent = "Node unreachable: " + location.host + " does not answer (" + state.failure + "). "
      + (state.lastContactMs ? "Last contact at " + clock(state.lastContactMs) + "; the figures below are from then. " : "")
      + "Retrying every second.";
  } else if (state.reachable && state.streamOpen) {
    banner.className = "connection live";
    banner.setAttribute("role", "status");
    banner.textContent = "Live: connected to " + location.host + " (last update " + clock(state.lastContactMs) + ").";
  } else {
    banner.className = "connection connecting";
    banner.setAttribute("role", "status");
    banner.textContent = state.reachable ? "Connected to " + location.host + "; opening the finality stream…"
      : "Connecting to the node…";
  }
}

// ---- validators -------------------------------------------------------------------------------

function renderCluster(view) {
  $("node-name").textContent = "shard " + view.shardId + " / validator " + view.validatorIndex;
  const shards = $("shards");
  shards.replaceChildren();
  for (const shard of view.shards) {
    const rows = shard.validators.map((v) => {
      const row = el("tr", {
        "data-shard": shard.shardId, "data-index": v.index, "data-reachable": v.reachable,
        class: (v.self ? "self " : "") + (v.reachable ? "" : "down"),
      },
      el("td", {}, String(v.index)),
      el("td", { class: "mono", title: v.publicKey }, short(v.publicKey)),
      el("td", { class: "mono" }, v.httpEndpoint),
      el("td", { class: "num round" }, v.reachable ? String(v.round) : "–"),
      el("td", { class: "num height" }, v.reachable ? String(v.committedHeight) : "–"),
      el("td", {}, v.reachable ? (v.ready ? "ready" : "not ready") : "unreachable: " + v.error),
      el("td", { class: "num" }, v.ageMs === undefined ? "–" : (v.ageMs / 1000).toFixed(1) + " s"));
      if (v.reachable) {
        row.setAttribute("data-round", v.round);
        row.setAttribute("data-height", v.committedHeight);
      }
      return row;
    });
    shards.append(
      el("h3", {}, "Shard " + shard.shardId + (shard.shardId === view.shardId ? " (this node's shard)" : "")),
      el("table", { "data-shard": shard.shardId },
        el("thead", {}, el("tr", {}, el("th", {}, "Validator"), el("th", {}, "Public key"), el("th", {}, "HTTP endpoint"),
          el("th", { class: "num" }, "Round"), el("th", { class: "num" }, "Committed height"), el("th", {}, "State"),
          el("th", { class: "num" }, "Read ago"))),
        el("tbody", {}, ...rows)));
  }
}

async function poll() {
  try {
    const response = await fetch("/v1/cluster", { cache: "no-store", signal: AbortSignal.timeout(POLL_TIMEOUT_MS) });
    if (!response.ok) throw new Error("HTTP " + response.status);
    const view = await response.json();
    state.reachable = true;
    state.lastContactMs = Date.now();
    renderCluster(view);
  } catch (error) {
    state.reachable = false;
    state.failure = error.name === "TimeoutError" ? "no answer within " + POLL_TIMEOUT_MS / 1000 + " s"
      : error.message || String(error);
  }
  renderConnection();
  setTimeout(poll, POLL_MS);
}

// ---- finality stream --------------------------------------------------------------------------

function openStream() {
  const socket = new WebSocket("ws://" + location.host + "/v1/stream");
  socket.onopen = () => {
    state.streamOpen = true;
    state.streamOpenedMs = Date.now();
    renderConnection();
  };
  socket.onmessage = (message) => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return; // not ours to show
    }
    onEvent(event);
  };
  socket.onclose = () => {
    // A stream that closes may have lost events (docs/api.md): the window restarts with the next one.
    state.streamOpen = false;
    state.acceptedAt.clear();
    state.commitTimes = [];
    state.latencies = [];
    renderConnection();
    setTimeout(openStream, STREAM_RETRY_MS);
  };
}

function onEvent(event) {
  if (event.type !== "finality") return; // heartbeats only keep the stream open
  const now = Date.now();
  if (event.state === "ACCEPTED") {
    state.acceptedAt.set(event.txId, now);
  } else if (event.state === "COMMITTED") {
    state.commitTimes.push(now);
    const accepted = state.acceptedAt.get(event.txId);
    if (accepted !== undefined) {
      state.latencies.push({ atMs: now, ms: now - accepted });
      state.acceptedAt.delete(event.txId);
    }
    addRecent("commits", event);
  } else if (event.state === "SETTLED") {
    addRecent("settlements", event);
  }
}

// Events are kept as they come; the tables are redrawn a few times a second, not once per event.
function addRecent(list, event) {
  const rows = state.recent[list];
  rows.unshift(event);
  if (rows.length > RECENT_ROWS) rows.length = RECENT_ROWS;
  state.recentChanged = true;
}

function renderRecent() {
  if (!state.recentChanged) return;
  state.recentChanged = false;
  for (const [list, rows] of Object.entries(state.recent)) {
    $(list).replaceChildren(...rows.map((event) => el("tr", { "data-tx": event.txId },
      el("td", { class: "mono", title: event.txId }, short(event.txId)),
      el("td", { class: "num" }, String(event.height)),
      el("td", {}, event.result || ""),
      el("td", {}, clock(event.consensusTimeMs)))));
  }
}

// ---- last-minute figures ----------------------------------------------------------------------

function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

// Drops the entries before `from` from a list in arrival order, in one splice.
function dropBefore(list, from, timeOf) {
  let expired = 0;
  while (expired < list.length && timeOf(list[expired]) < from) expired++;
  list.splice(0, expired);
}

function renderFigures() {
  const now = Date.now();
  const from = now - WINDOW_MS;
  dropBefore(state.commitTimes, from, (t) => t);
  dropBefore(state.latencies, from, (l) => l.atMs);
  for (const [txId, at] of state.acceptedAt) {
    if (at < from) state.acceptedAt.delete(txId); else break; // a Map iterates in insertion order
  }
  const seconds = state.streamOpenedMs ? Math.max(1, (now - Math.max(from, state.streamOpenedMs)) / 1000) : 0;
  $("throughput").textContent = seconds && state.streamOpen ? (state.commitTimes.length / seconds).toFixed(1) : "–";
  const sorted = state.latencies.map((l) => l.ms).sort((a, b) => a - b);
  for (const [id, q] of [["latency-p50", 0.5], ["latency-p90", 0.9], ["latency-p99", 0.99]]) {
    $(id).textContent = sorted.length ? percentile(sorted, q) + " ms" : "–";
  }
  $("latency-count").textContent = String(sorted.length);
}

document.addEventListener("DOMContentLoaded", () => {
  poll();
  openStream();
  setInterval(renderFigures, 1000);
  setInterval(renderRecent, RECENT_RENDER_MS);
});
