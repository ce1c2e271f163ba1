// The airprox live map: tracks and encounters from airproxd's WebSocket (/ws), drawn with Leaflet
// over an offline base layer (coastlines and borders, server/web/base_map.geojson) and a graticule.
// Messages are described in server/map/map_messages.h. No build step.
'use strict';

(function () {
  const SEVERITY_RANK = { ADVISORY: 1, WARNING: 2, ALERT: 3 };
  const SEVERITY_COLOUR = { ADVISORY: '#c9a400', WARNING: '#ff8c00', ALERT: '#e00000' };
  const HISTORY_MAX = 100;
  const FADE_MS = 3000;
  const NM_M = 1852;

  const map = L.map('map', { worldCopyJump: true, zoomSnap: 0.5 }).setView([30, 0], 2);
  map.attributionControl.addAttribution('Coastlines: GSHHG (LGPL)');

  // ---- base layers --------------------------------------------------------------------------
  fetch('/base_map.geojson')
    .then((r) => r.json())
    .then((data) => {
      L.geoJSON(data, {
        interactive: false,
        style: (f) => f.properties.kind === 'border'
          ? { color: '#8a96a3', weight: 0.8, dashArray: '3 3' }
          : { color: '#4d6277', weight: 1 },
      }).addTo(map);
    });

  const graticule = L.layerGroup().addTo(map);
  function drawGraticule() {
    graticule.clearLayers();
    const z = map.getZoom();
    const step = z < 3 ? 30 : z < 5 ? 10 : z < 7 ? 5 : z < 9 ? 1 : 0.5;
    const b = map.getBounds();
    const south = Math.max(-90, Math.floor(b.getSouth() / step) * step);
    const north = Math.min(90, Math.ceil(b.getNorth() / step) * step);
    const west = Math.floor(b.getWest() / step) * step;
    const east = Math.ceil(b.getEast() / step) * step;
    const style = { color: '#9fb0c0', weight: 0.6, interactive: false, className: 'graticule' };
    for (let lat = south; lat <= north; lat += step) {
      graticule.addLayer(L.polyline([[lat, west], [lat, east]], style));
    }
    for (let lon = west; lon <= east && (east - west) / step < 400; lon += step) {
      graticule.addLayer(L.polyline([[south, lon], [north, lon]], style));
    }
  }
  map.on('moveend', drawGraticule);
  drawGraticule();

  // ---- state --------------------------------------------------------------------------------
  const tracks = new Map();      // track id -> { marker, data }
  const encounters = new Map();  // encounter id -> { event, line, item }
  let dataTime = 0;              // newest data time seen (s)
  let fitted = false;            // the view was fitted to the traffic

  const $ = (id) => document.getElementById(id);

  function pad(n) { return String(n).padStart(2, '0'); }
  function utc(t) {
    const d = new Date(t * 1000);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
      `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
  }
  function hms(t) { return utc(t).slice(11); }
  function flightLevel(p) {
    if (p.on_ground) return 'GND';
    if (p.alt_ft === null || p.alt_ft === undefined) return 'FL---';
    return 'FL' + String(Math.max(0, Math.round(p.alt_ft / 100))).padStart(3, '0');
  }
  function name(p) { return p.callsign || p.id; }
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }
  function advanceClock(t) {
    if (t > dataTime) {
      dataTime = t;
      $('clock').textContent = utc(dataTime);
    }
  }

  // Great-circle distance in NM (the map's label; airproxd's own figures are in the events).
  function distanceNm(a, b) {
    return map.distance([a.lat_deg, a.lon_deg], [b.lat_deg, b.lon_deg]) / NM_M;
  }

  // ---- tracks -------------------------------------------------------------------------------
  function severityOfTrack(id) {
    let best = null;
    for (const { event } of encounters.values()) {
      if ((event.a.id === id || event.b.id === id) &&
          (!best || SEVERITY_RANK[event.severity] > SEVERITY_RANK[best])) best = event.severity;
    }
    return best;
  }

  function trackIcon(p) {
    const html = `<div class="track-marker" data-track="${escapeHtml(p.id)}">` +
      '<svg viewBox="-12 -12 24 24"><path d="M0,-11 L7,9 L0,4 L-7,9 Z"/></svg>' +
      '<span class="label"></span></div>';
    return L.divIcon({ className: 'track-icon', html, iconSize: [24, 24], iconAnchor: [12, 12] });
  }

  function styleTrack(t) {
    const el = t.marker.getElement();
    if (!el) return;
    const box = el.querySelector('.track-marker');
    const p = t.data;
    box.querySelector('svg').style.transform = `rotate(${p.track_deg || 0}deg)`;
    box.querySelector('.label').innerHTML = `${escapeHtml(name(p))}<br>${flightLevel(p)}`;
    const sev = severityOfTrack(p.id);
    box.className = 'track-marker' + (sev ? ' sev-' + sev : '');
  }

  function updateTracks(list) {
    const seen = new Set();
    for (const p of list) {
      seen.add(p.id);
      let t = tracks.get(p.id);
      if (!t) {
        t = { marker: L.marker([p.lat_deg, p.lon_deg], { icon: trackIcon(p), keyboard: false }), data: p };
        t.marker.addTo(map);
        tracks.set(p.id, t);
      }
      t.data = p;
      t.marker.setLatLng([p.lat_deg, p.lon_deg]);
      styleTrack(t);
    }
    for (const [id, t] of tracks) {
      if (!seen.has(id)) {
        t.marker.remove();
        tracks.delete(id);
      }
    }
    if (!fitted && tracks.size > 0) {
      const bounds = L.latLngBounds(list.map((p) => [p.lat_deg, p.lon_deg]));
      map.fitBounds(bounds.pad(0.5), { maxZoom: 9 });
      fitted = true;
    }
    if (tracks.size === 0) fitted = false;  // the next traffic (a new replay) is fitted again
  }

  // ---- encounters ---------------------------------------------------------------------------
  // The pair's current positions: the live tracks when known, else the event's reports.
  function pairPositions(e) {
    const a = tracks.get(e.a.id);
    const b = tracks.get(e.b.id);
    return [a ? a.data : e.a, b ? b.data : e.b];
  }

  // Seconds to the closest approach from the pair's current positions and velocities (flat earth
  // around the pair, straight lines); null when a velocity is unknown. <= 0: diverging.
  function timeToCpaS(a, b) {
    if ([a.ground_speed_kt, a.track_deg, b.ground_speed_kt, b.track_deg].some((v) => v === null || v === undefined)) return null;
    const cosLat = Math.cos(((a.lat_deg + b.lat_deg) / 2) * Math.PI / 180);
    const rx = (b.lon_deg - a.lon_deg) * 60 * cosLat;  // NM east
    const ry = (b.lat_deg - a.lat_deg) * 60;           // NM north
    const v = (p) => [p.ground_speed_kt * Math.sin(p.track_deg * Math.PI / 180) / 3600,
                      p.ground_speed_kt * Math.cos(p.track_deg * Math.PI / 180) / 3600];  // NM/s
    const [ax, ay] = v(a);
    const [bx, by] = v(b);
    const vx = bx - ax, vy = by - ay;
    const v2 = vx * vx + vy * vy;
    return v2 > 0 ? -(rx * vx + ry * vy) / v2 : null;
  }

  function labelText(e) {
    const [a, b] = pairPositions(e);
    const nm = distanceNm(a, b);
    const ft = (a.alt_ft !== null && b.alt_ft !== null) ? Math.abs(a.alt_ft - b.alt_ft) : e.vertical_ft;
    let ttc = timeToCpaS(a, b);
    if (ttc === null) ttc = e.time_to_cpa_s - Math.max(0, dataTime - e.time_s);
    const cpa = ttc > 0 ? `CPA in ${Math.round(ttc)} s` : 'CPA passed';
    return `${nm.toFixed(2)} NM · ${Math.round(ft)} ft · ${cpa}`;
  }

  function drawLine(enc) {
    const e = enc.event;
    const [a, b] = pairPositions(e);
    const latlngs = [[a.lat_deg, a.lon_deg], [b.lat_deg, b.lon_deg]];
    const colour = SEVERITY_COLOUR[e.severity];
    if (!enc.line) {
      enc.line = L.polyline(latlngs, {
        color: colour, weight: 2.5, className: 'encounter-line', interactive: true,
      }).addTo(map);
      enc.line.bindTooltip('', { permanent: true, direction: 'top', offset: [0, -10], className: 'encounter-label' });
    }
    enc.line.setLatLngs(latlngs);
    enc.line.setStyle({ color: colour });
    const path = enc.line.getElement();
    if (path) path.setAttribute('data-encounter', e.id);
    enc.line.setTooltipContent(labelText(e));
    // A permanent tooltip stays where it opened: reopen it at the line's new midpoint.
    enc.line.openTooltip([(a.lat_deg + b.lat_deg) / 2, (a.lon_deg + b.lon_deg) / 2]);
  }

  function activeItem(e) {
    const li = document.createElement('li');
    li.className = 'encounter sev-' + e.severity;
    li.dataset.encounter = e.id;
    li.innerHTML = `<div class="pair"><span class="badge sev-${e.severity}">${e.severity}</span> ` +
      `${escapeHtml(name(e.a))} ↔ ${escapeHtml(name(e.b))}</div>` +
      `<div class="detail">${escapeHtml(e.rule)} · ${e.horizontal_nm.toFixed(2)} NM / ` +
      `${Math.round(e.vertical_ft)} ft · since ${hms(e.start_time_s)}</div>`;
    li.addEventListener('click', () => {
      const [a, b] = pairPositions(e);
      map.setView([(a.lat_deg + b.lat_deg) / 2, (a.lon_deg + b.lon_deg) / 2], Math.max(map.getZoom(), 10));
    });
    return li;
  }

  function renderActiveList() {
    const list = $('active');
    list.textContent = '';
    const newestFirst = [...encounters.values()].sort((x, y) => y.event.start_time_s - x.event.start_time_s);
    for (const enc of newestFirst) list.appendChild(activeItem(enc.event));
    $('no-active').style.display = encounters.size ? 'none' : '';
  }

  function addHistory(e) {
    const c = e.closest;
    const li = document.createElement('li');
    li.className = 'encounter sev-' + e.max_severity;
    li.dataset.encounter = e.id;
    li.innerHTML = `<div class="pair"><span class="badge sev-${e.max_severity}">${e.max_severity}</span> ` +
      `${escapeHtml(name(e.a))} ↔ ${escapeHtml(name(e.b))}</div>` +
      `<div class="detail">closest ${c.horizontal_nm.toFixed(2)} NM / ${Math.round(c.vertical_ft)} ft ` +
      `at ${hms(c.time_s)}</div>` +
      `<div class="detail">${hms(e.start_time_s)}–${hms(e.time_s)} · ${escapeHtml(e.rule)}` +
      `${e.end_reason ? ' · ' + escapeHtml(e.end_reason) : ''}</div>`;
    const list = $('history');
    const old = list.querySelector(`li[data-encounter="${CSS.escape(e.id)}"]`);
    if (old) old.remove();
    list.insertBefore(li, list.firstChild);
    while (list.children.length > HISTORY_MAX) list.lastChild.remove();
    $('no-history').style.display = 'none';
  }

  function upsertEncounter(e) {
    let enc = encounters.get(e.id);
    if (!enc) {
      enc = { event: e, line: null };
      encounters.set(e.id, enc);
    }
    if (e.sequence >= (enc.event.sequence || 0)) enc.event = e;
    drawLine(enc);
  }

  // An ENDED encounter: its line fades out, its entry moves to the history with its closest approach.
  function endEncounter(e) {
    const enc = encounters.get(e.id);
    encounters.delete(e.id);
    if (enc && enc.line) {
      const line = enc.line;
      const path = line.getElement();
      if (path) path.classList.add('ended');
      const tip = line.getTooltip() && line.getTooltip().getElement();
      if (tip) tip.classList.add('ended');
      setTimeout(() => line.remove(), FADE_MS);
    }
    addHistory(e);
  }

  function onEvent(e) {
    advanceClock(e.time_s);
    if (e.kind === 'ENDED') endEncounter(e); else upsertEncounter(e);
    renderActiveList();
    for (const t of tracks.values()) styleTrack(t);
  }

  function onSnapshot(msg) {
    if (msg.time_s > 0) advanceClock(msg.time_s);
    updateTracks(msg.tracks);
    // The snapshot's encounters are every active one: an encounter missing from it has ended
    // (its ENDED event was dropped for a slow connection, or came before this page connected).
    const current = new Set(msg.encounters.map((e) => e.id));
    for (const [id, enc] of [...encounters]) {
      if (!current.has(id)) endEncounter({ ...enc.event, kind: 'ENDED', end_reason: enc.event.end_reason || '' });
    }
    for (const e of msg.encounters) upsertEncounter(e);
    for (const enc of encounters.values()) drawLine(enc);
    for (const t of tracks.values()) styleTrack(t);
    renderActiveList();
    $('count-tracks').textContent = msg.counts.tracks;
    $('count-encounters').textContent = msg.counts.encounters;
    $('count-subscribers').textContent = msg.counts.subscribers;
    $('count-viewers').textContent = msg.counts.map_clients;
  }

  let tileLayer = null;
  function onHello(msg) {
    if (msg.tile_url && !tileLayer) {
      tileLayer = L.tileLayer(msg.tile_url, { maxZoom: 18 }).addTo(map);
      tileLayer.bringToBack();
    }
    const list = $('history');
    list.textContent = '';
    $('no-history').style.display = '';
    for (const e of msg.history) addHistory(e);
  }

  // ---- connection ---------------------------------------------------------------------------
  // Subprotocols offered: the map's own, and a credential when the page holds one
  // (sessionStorage 'airprox-token'), carried as "token.<token>". A subprotocol is an HTTP token,
  // so the token must be made of letters, digits and !#$%&'*+-.^_`|~ (openssl rand -hex 32 is).
  const TOKEN_KEY = 'airprox-token';
  const TOKEN_CHARS = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
  function protocols() {
    const p = ['airprox-map.v1'];
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) p.push('token.' + token);
    return p;
  }

  function setStatus(cls, text) {
    const s = $('status');
    s.className = cls;
    s.textContent = text;
  }

  // The token form, shown when the server refuses the WebSocket. The browser does not tell why a
  // handshake failed (401, 403 or no server at all all close before open), so the page says what
  // it can: with a token held, that the token was refused; without, that one may be needed.
  function showTokenForm(message) {
    $('token-form').hidden = false;
    $('token-error').textContent = message;
  }
  function hideTokenForm() {
    $('token-form').hidden = true;
    $('token-error').textContent = '';
  }
  // Without the right to see the data, the page shows none of what it had.
  function clearData() {
    updateTracks([]);
    for (const id of [...encounters.keys()]) {
      const enc = encounters.get(id);
      if (enc.line) enc.line.remove();
      encounters.delete(id);
    }
    renderActiveList();
    $('history').textContent = '';
    $('no-history').style.display = '';
  }

  let retry = null;
  let socket = null;
  function connect() {
    clearTimeout(retry);
    retry = null;
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
    let opened = false;
    const ws = new WebSocket(url, protocols());
    socket = ws;
    ws.onopen = () => {
      opened = true;
      hideTokenForm();
      setStatus('connected', 'live');
    };
    ws.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.type === 'tracks') onSnapshot(msg);
      else if (msg.type === 'event') onEvent(msg.event);
      else if (msg.type === 'hello') onHello(msg);
    };
    ws.onclose = () => {
      if (socket !== ws) return;  // replaced by a connection with a new token
      if (opened) {
        setStatus('disconnected', 'disconnected: reconnecting');
        retry = setTimeout(connect, 2000);
        return;
      }
      clearData();
      if (sessionStorage.getItem(TOKEN_KEY)) {
        setStatus('refused', 'refused');
        showTokenForm('token refused or lacks the subscribe role');
      } else {
        setStatus('refused', 'no connection: a token may be needed');
        showTokenForm('this server may need a token with the subscribe role (or it is not reachable)');
      }
      retry = setTimeout(connect, 5000);
    };
  }

  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token-input').value.trim();
    if (token && !TOKEN_CHARS.test(token)) {
      $('token-error').textContent = "a token is letters, digits and !#$%&'*+-.^_`|~ only";
      return;
    }
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
    $('token-input').value = '';
    $('token-error').textContent = '';
    setStatus('disconnected', 'connecting');
    if (socket) socket.close();
    connect();
  });
  connect();
})();
