// Archiver status page: polls the node's admin API once a second. The token comes from the URL fragment
// (#token=..., never sent to the server) or the form, is kept in sessionStorage, and is only ever sent in the
// Authorization header.
(() => {
  "use strict";
  const TOKEN_KEY = "archiver.api.token";
  const HISTORY_SECONDS = 300;
  const MAX_EVENTS = 500;
  const CLUSTER_EVERY = 2; // ticks between looks at the cluster: its leases are a row per customer
  const COLORS = ["#4fa3ff", "#3fb950", "#d29922", "#f778ba", "#a371f7", "#ff7b72", "#56d4dd", "#e3b341"];
  const $ = (id) => document.getElementById(id);

  let token = null;
  let lastEvent = 0;
  let ticks = 0;
  const events = [];
  const samples = new Map(); // customer -> [{t, archived}]
  const types = new Set();
  const customers = new Set();

  function takeTokenFromFragment() {
    const match = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
    if (match) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
      window.history.replaceState(null, "", location.pathname + location.search);
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }

  async function api(path) {
    const response = await fetch("/api/v1" + path, { headers: { Authorization: "Bearer " + token }, cache: "no-store" });
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      token = null;
      showLogin("The token was refused.");
      throw new Error("unauthorized");
    }
    if (!response.ok) {
      throw new Error(response.status + " " + response.statusText);
    }
    return response.json();
  }

  function showLogin(message) {
    $("main").hidden = true;
    $("login").hidden = false;
    $("connection").textContent = message || "token needed";
    $("connection").className = "badge down";
  }

  function cell(row, text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  const fmt = (n) => Number(n).toLocaleString("en-US");
  const rate = (n) => (n == null ? "–" : Number(n).toFixed(n < 10 ? 1 : 0));
  const percent = (share) => Math.round(100 * share) + "%";

  // What holds a customer at its pace (the API's limitedBy), in status's words, with the figure that names the knob;
  // the figures of the window behind it go in the cell's tooltip.
  const LIMITED_BY = {
    rate: "at limit",
    dropbox: "limited by Dropbox",
    parallelism: "parallelism-bound",
    "node-upload-budget": "node upload budget",
    "no-work": "no work",
  };

  function limitedBy(c) {
    if (!c.limitedBy) return { text: "–", className: "limited-by muted" };
    const load = c.load;
    let text = LIMITED_BY[c.limitedBy] || c.limitedBy;
    if (load && c.limitedBy === "parallelism") {
      text += load.slotsNeeded != null ? ": needs " + rate(load.slotsNeeded) + " slots, has " + load.parallelism : ": all " + load.parallelism + " slots busy";
    } else if (load && c.limitedBy === "node-upload-budget") {
      text += ": " + percent(load.budgetWaitShare) + " of upload time waiting";
    }
    const title = load
      ? "last " + Math.round(load.windowSeconds) + " s: " + load.slotsBusy.toFixed(1) + " of " + load.parallelism + " upload slots busy on average, all of them " +
        percent(load.slotsFullShare) + " of the time" +
        (load.uploadSeconds != null ? "; an upload holds its slot " + load.uploadSeconds.toFixed(2) + " s" : "") +
        (load.slotsNeeded != null ? ", so the current rate needs " + rate(load.slotsNeeded) + " slots" : "") +
        "; " + percent(load.budgetWaitShare) + " of slot time waiting for the node's upload budget; the source waited for work " +
        percent(load.waitingForWorkShare) + " of the time"
      : "";
    const className = "limited-by" + (c.limitedBy === "no-work" ? " muted" : c.limitedBy === "rate" ? "" : " limited");
    return { text, className, title };
  }

  function renderCustomers(status) {
    const body = $("customers").querySelector("tbody");
    body.replaceChildren();
    for (const c of status.customers) {
      const row = document.createElement("tr");
      row.dataset.customer = c.id;
      const name = cell(row, c.id);
      if (c.name && c.name !== c.id) name.title = c.name;
      const state = cell(row, c.state + (c.phase && c.state === "Active" ? " · " + c.phase : ""), "state-" + c.state);
      if (c.stateReason) state.title = c.stateReason;
      cell(row, fmt(c.backlog), "num backlog");
      cell(row, fmt(c.archived), "num archived");
      const total = c.archived + c.failed + c.backlog;
      const bar = document.createElement("div");
      bar.className = "bar";
      const fill = document.createElement("div");
      fill.style.width = (total === 0 ? 0 : (100 * (c.archived + c.failed)) / total).toFixed(1) + "%";
      bar.appendChild(fill);
      cell(row, "").appendChild(bar);
      cell(row, fmt(c.failed), "num failed");
      cell(row, rate(c.itemsPerSecond), "num");
      const limited = c.currentRate != null && c.currentRate < c.rateLimit * 0.99;
      cell(row, rate(c.currentRate) + " / " + rate(c.rateLimit), "num" + (limited ? " limited" : ""));
      cell(row, fmt(c.rateLimitedLastMinute), "num" + (c.rateLimitedLastMinute > 0 ? " limited" : ""));
      const bound = limitedBy(c);
      const reason = cell(row, bound.text, bound.className);
      if (bound.title) reason.title = bound.title;
      body.appendChild(row);
      addOption($("filter-customer"), customers, c.id);
    }
  }

  // The cluster's members as Akka sees them (GET /api/v1/cluster), then nodes the database knows that are gone.
  function renderCluster(cluster) {
    const body = $("members").querySelector("tbody");
    body.replaceChildren();
    for (const m of cluster.members) {
      const row = document.createElement("tr");
      row.dataset.node = m.nodeId || "";
      row.dataset.address = m.address;
      const node = cell(row, (m.nodeId || "?") + (m.nodeId && m.nodeId === cluster.self ? " (this)" : ""));
      if (m.apiAddress) node.title = m.apiAddress;
      cell(row, m.address);
      cell(row, m.status, "status member-" + m.status);
      cell(row, m.reachable ? "yes" : "no", "reachable" + (m.reachable ? "" : " unreachable"));
      cell(row, m.leader ? "leader" : "", "leader");
      cell(row, fmt(m.customers.length), "num customers").title = m.customers.join(", ");
      cell(row, rate(m.itemsPerSecond), "num");
      body.appendChild(row);
    }
    for (const g of cluster.gone) {
      const row = document.createElement("tr");
      row.className = "gone";
      row.dataset.node = g.nodeId;
      cell(row, g.nodeId);
      cell(row, g.address || "–");
      cell(row, "gone").title = "last heartbeat " + new Date(g.lastHeartbeat).toLocaleString("en-GB");
      cell(row, "");
      cell(row, "");
      cell(row, "", "num");
      cell(row, "", "num");
      body.appendChild(row);
    }
    const up = cluster.members.filter((m) => m.status === "up").length;
    $("cluster-summary").textContent =
      "(" + up + " of " + cluster.members.length + " member(s) up · " + cluster.leases.length + " lease(s) held)";
  }

  const when = (at) => new Date(at).toLocaleString("en-GB");

  // A span of seconds as status's tables write one: 200 ms, 1.25 s, 45 s, 10 min, 1 h, 1.5 h, 90 d.
  function span(seconds) {
    if (seconds < 1) return Math.round(seconds * 1000) + " ms";
    if (seconds < 120) return Number(seconds.toFixed(seconds < 10 ? 3 : 0)) + " s";
    if (seconds < 3600) return Math.round(seconds / 60) + " min";
    if (seconds < 172800) return Number((seconds / 3600).toFixed(1)) + " h";
    return Math.round(seconds / 86400) + " d";
  }

  // A row of one cell across the table, saying why it has no rows.
  function emptyRow(body, columns, text) {
    const row = document.createElement("tr");
    row.className = "empty";
    cell(row, text, "muted").colSpan = columns;
    body.appendChild(row);
  }

  // Each webhook's deliveries as this node saw them (GET /api/v1/status, alerts); its URL comes with credentials masked.
  function renderAlerts(status) {
    const body = $("alerts").querySelector("tbody");
    body.replaceChildren();
    for (const w of status.alerts || []) {
      const row = document.createElement("tr");
      row.dataset.webhook = w.webhook;
      cell(row, w.webhook, "webhook");
      cell(row, w.cursor == null ? "–" : String(w.cursor), "num cursor");
      cell(row, w.lastSuccessAt ? when(w.lastSuccessAt) : "never", "last-delivered");
      const failure = cell(row, w.lastFailureAt ? when(w.lastFailureAt) + ": " + w.lastFailure : "–", "last-failure" + (w.failuresInARow > 0 ? " bad" : ""));
      if (w.lastFailure) failure.title = w.lastFailure;
      cell(row, String(w.failuresInARow), "num failures-in-a-row" + (w.failuresInARow > 0 ? " bad" : ""));
      body.appendChild(row);
    }
    if (body.children.length === 0) emptyRow(body, 5, "none from this node");
  }

  // The node's last retention run (GET /api/v1/status, retention), and when the next is due.
  function renderRetention(status) {
    const body = $("retention").querySelector("tbody");
    body.replaceChildren();
    const r = status.retention;
    if (!r) {
      emptyRow(body, 7, "no run on this node yet");
      return;
    }
    const row = document.createElement("tr");
    cell(row, when(r.startedAt), "started");
    cell(row, fmt(r.archivedItems), "num archived-items");
    cell(row, fmt(r.events), "num events");
    cell(row, fmt(r.failureEvents), "num failure-events");
    cell(row, span(r.durationSeconds), "num took");
    const next = new Date(Date.parse(r.startedAt) + 1000 * r.intervalSeconds);
    cell(row, "≈ " + next.toLocaleTimeString("en-GB") + " (every " + span(r.intervalSeconds) + ")", "next");
    cell(row, r.error || "–", "error" + (r.error ? " bad" : ""));
    body.appendChild(row);
  }

  function addOption(select, seen, value) {
    if (seen.has(value)) return;
    seen.add(value);
    const option = document.createElement("option");
    option.value = option.textContent = value;
    select.appendChild(option);
  }

  function record(status) {
    const t = Date.parse(status.at) / 1000;
    for (const c of status.customers) {
      const points = samples.get(c.id) || [];
      points.push({ t, archived: c.archived });
      while (points.length > 0 && points[0].t < t - HISTORY_SECONDS - 2) points.shift();
      samples.set(c.id, points);
    }
    renderChart(t);
  }

  function renderChart(now) {
    const svg = $("chart");
    const ns = "http://www.w3.org/2000/svg";
    const width = 900, height = 200, top = 10, bottom = 20;
    const series = [];
    let max = 1;
    for (const [customer, points] of samples) {
      const rates = [];
      for (let i = 1; i < points.length; i++) {
        const dt = points[i].t - points[i - 1].t;
        if (dt > 0) rates.push({ t: points[i].t, v: Math.max(0, (points[i].archived - points[i - 1].archived) / dt) });
      }
      rates.forEach((p) => (max = Math.max(max, p.v)));
      series.push({ customer, rates });
    }
    svg.replaceChildren();
    // The time axis spans what has been seen so far (at least 20 s), up to the last 5 minutes.
    let first = now;
    for (const points of samples.values()) if (points.length > 0) first = Math.min(first, points[0].t);
    const span = Math.min(HISTORY_SECONDS, Math.max(20, now - first));
    const x = (t) => width - ((now - t) / span) * width;
    const y = (v) => top + (height - top - bottom) * (1 - v / max);
    for (const fraction of [0, 0.5, 1]) {
      const line = document.createElementNS(ns, "line");
      line.setAttribute("x1", 0); line.setAttribute("x2", width);
      line.setAttribute("y1", y(max * fraction)); line.setAttribute("y2", y(max * fraction));
      line.setAttribute("stroke", "#2a323c");
      svg.appendChild(line);
      const label = document.createElementNS(ns, "text");
      label.setAttribute("x", 4); label.setAttribute("y", y(max * fraction) - 2);
      label.textContent = (max * fraction).toFixed(max < 10 ? 1 : 0) + "/s";
      svg.appendChild(label);
    }
    const axis = document.createElementNS(ns, "text");
    axis.setAttribute("x", width - 4); axis.setAttribute("y", height - 4); axis.setAttribute("text-anchor", "end");
    axis.textContent = "last " + Math.round(span) + " s";
    svg.appendChild(axis);
    const legend = $("legend");
    legend.replaceChildren();
    series.forEach((s, i) => {
      const color = COLORS[i % COLORS.length];
      if (s.rates.length > 0) {
        const path = document.createElementNS(ns, "polyline");
        path.setAttribute("points", s.rates.map((p) => x(p.t).toFixed(1) + "," + y(p.v).toFixed(1)).join(" "));
        path.setAttribute("fill", "none");
        path.setAttribute("stroke", color);
        path.setAttribute("stroke-width", "2");
        path.dataset.customer = s.customer;
        svg.appendChild(path);
      }
      const key = document.createElement("span");
      key.textContent = s.customer;
      key.style.setProperty("--swatch", color);
      legend.appendChild(key);
    });
  }

  async function pollEvents() {
    for (let page = 0; page < 10; page++) {
      const result = await api("/events?after=" + lastEvent + "&limit=500");
      for (const e of result.events) {
        events.push(e);
        addOption($("filter-type"), types, e.type);
        if (e.customer) addOption($("filter-customer"), customers, e.customer);
      }
      lastEvent = result.next;
      if (result.events.length < 500) break;
    }
    while (events.length > MAX_EVENTS) events.shift();
    renderEvents();
  }

  function renderEvents() {
    const customer = $("filter-customer").value;
    const type = $("filter-type").value;
    const text = $("filter-text").value.trim().toLowerCase();
    const body = $("events").querySelector("tbody");
    body.replaceChildren();
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i];
      if (customer && e.customer !== customer) continue;
      if (type && e.type !== type) continue;
      if (text && !(e.details + " " + e.type + " " + (e.customer || "")).toLowerCase().includes(text)) continue;
      const row = document.createElement("tr");
      cell(row, e.sequence, "num");
      cell(row, new Date(e.at).toLocaleTimeString("en-GB"));
      cell(row, e.customer || "");
      cell(row, e.type);
      cell(row, e.details);
      body.appendChild(row);
    }
  }

  async function tick() {
    if (!token) return;
    try {
      const status = await api("/status");
      $("login").hidden = true;
      $("main").hidden = false;
      $("node").textContent = "node " + status.node.nodeId + " · up since " + new Date(status.node.startedAt).toLocaleString("en-GB");
      renderCustomers(status);
      renderAlerts(status);
      renderRetention(status);
      record(status);
      if (ticks++ % CLUSTER_EVERY === 0) renderCluster(await api("/cluster"));
      await pollEvents();
      $("connection").textContent = "live · " + new Date(status.at).toLocaleTimeString("en-GB");
      $("connection").className = "badge live";
      document.body.dataset.updated = status.at;
    } catch (error) {
      if (token) {
        $("connection").textContent = "disconnected: " + error.message;
        $("connection").className = "badge down";
      }
    }
  }

  $("login").addEventListener("submit", (event) => {
    event.preventDefault();
    token = $("token").value.trim();
    $("token").value = "";
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token);
      tick();
    }
  });
  for (const id of ["filter-customer", "filter-type", "filter-text"]) {
    $(id).addEventListener("input", renderEvents);
  }

  token = takeTokenFromFragment();
  if (!token) showLogin();
  tick();
  setInterval(tick, 1000);
})();
