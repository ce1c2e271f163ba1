// Drives the live map in Debian's chromium (headless) with puppeteer-core, against an airproxd that
// map_browser_test.sh started:
//   1. opens the page and waits until its WebSocket is live;
//   2. replays the formation excerpt (AFR787V with the TBM 900 FWKDL, one long encounter) and waits
//      for both tracks' markers (callsign and flight level), the encounter's entry in the active
//      list, its connecting line, the severity colour, and the clock at the excerpt's last data
//      time; saves map_encounter.png; drags the map away and clicks the entry, which centres the
//      map on the pair again;
//   3. replays one far-away aircraft 70 to 130 s (data time) after the excerpt, so that detection
//      drops the pair as stale and ends the encounter, and waits for the entry to leave the active
//      list for the history (with its closest approach) and the line to fade; saves map_ended.png.
// Any error thrown by the page fails the test.
// With --tokens (airproxd started with a token file; AIRPROX_TOKEN, an ingest token, is what the
// CLI replays with; MAP_TOKEN_INGEST and MAP_TOKEN_SUBSCRIBE are tokens with only that role):
//   1. the page loads without a token, its WebSocket is refused, and it asks for a token;
//   2. the ingest-only token is refused with "token refused or lacks the subscribe role", and no
//      track is drawn although the excerpt has been replayed;
//   3. with the subscribe token the page goes live and draws both tracks; saves map_token.png.
// Usage: node map_browser_test.js CHROMIUM HTTP_ADDR AIRPROX_CLI GRPC_ADDR RECORDING TMP_DIR OUT_DIR [--tokens]
'use strict';

const path = require('path');
const fs = require('fs');
const { execFileSync } = require('child_process');
const puppeteer = require(path.resolve(process.env.AIRPROX_NPM_DIR, 'node_modules', 'puppeteer-core'));

const [chromium, httpAddr, cli, grpcAddr, recording, tmpDir, outDir, mode] = process.argv.slice(2);
const A = { id: '39c424', callsign: 'AFR787V', fl: 'FL100' };
const B = { id: '3900fb', callsign: 'FWKDL' };
const LAST_DATA_TIME = '2017-12-01 15:21:40Z';  // the excerpt's last record, 1512141700
const WAIT = { timeout: 30000 };

function replay(file) {
  execFileSync(cli, ['--server', grpcAddr, 'replay', '--speed', '0', '--no-progress', file],
               { stdio: ['ignore', 'inherit', 'inherit'], timeout: 60000 });
}

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what);
  console.log('ok: ' + what);
}

// Submits `token` in the page's token form.
async function enterToken(page, token) {
  await page.$eval('#token-input', (e) => { e.value = ''; });
  await page.type('#token-input', token);
  await page.click('#token-form button[type="submit"]');
}

async function withTokens(page) {
  const visibleForm = () => {
    const f = document.getElementById('token-form');
    return !f.hidden && getComputedStyle(f).display !== 'none';
  };
  await page.waitForFunction(visibleForm, WAIT);
  const asked = await page.$eval('#token-error', (e) => e.textContent);
  check(/token/.test(asked), `without a token the page asks for one: "${asked}"`);
  check(await page.$eval('#status', (e) => e.textContent) !== 'live', 'the page is not live');

  await enterToken(page, process.env.MAP_TOKEN_INGEST);
  await page.waitForFunction(() => document.getElementById('token-error').textContent ===
                             'token refused or lacks the subscribe role', WAIT);
  check(true, 'a token without the subscribe role is refused with a clear error');
  check(await page.evaluate(() => sessionStorage.getItem('airprox-token')) === process.env.MAP_TOKEN_INGEST,
        'the page keeps the token it was given in sessionStorage');
  replay(recording);
  // The next retry (every 5 s) is refused too: still no data.
  await new Promise((r) => setTimeout(r, 6000));
  check(await page.$('.track-marker') === null, 'no track is drawn without the subscribe role');
  check(await page.$eval('#count-tracks', (e) => e.textContent) === '0', 'the track count stays 0');
  check(await page.evaluate(visibleForm), 'the form still asks for a token');

  await enterToken(page, process.env.MAP_TOKEN_SUBSCRIBE);
  await page.waitForFunction(() => document.getElementById('status').textContent === 'live', WAIT);
  check(true, 'with the subscribe token the page is live');
  for (const t of [A, B]) await page.waitForSelector(`.track-marker[data-track="${t.id}"]`, WAIT);
  check(true, 'both tracks have a marker');
  check(!(await page.evaluate(visibleForm)), 'the token form is hidden');
  await page.screenshot({ path: path.join(outDir, 'map_token.png') });
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--window-size=1280,800'],
    defaultViewport: { width: 1280, height: 800 },
  });
  const pageErrors = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
    await page.goto(`http://${httpAddr}/`, { waitUntil: 'load' });
    if (mode === '--tokens') {
      await withTokens(page);
      // The refused handshakes are logged by chromium itself; anything else is the page's error.
      const errors = pageErrors.filter((e) => !/WebSocket connection to .* failed/.test(e));
      check(errors.length === 0, 'the page threw no error' + (errors.length ? ': ' + errors.join('; ') : ''));
      return;
    }
    await page.waitForFunction(() => document.getElementById('status').textContent === 'live', WAIT);
    console.log('ok: the page is live');

    replay(recording);
    for (const t of [A, B]) {
      await page.waitForSelector(`.track-marker[data-track="${t.id}"]`, WAIT);
    }
    check(true, 'both tracks have a marker');
    const label = await page.$eval(`.track-marker[data-track="${A.id}"] .label`, (e) => e.textContent);
    check(label.includes(A.callsign) && label.includes(A.fl), `${A.id}'s label "${label}" has ${A.callsign} and ${A.fl}`);
    const rotation = await page.$eval(`.track-marker[data-track="${A.id}"] svg`, (e) => e.style.transform);
    check(/rotate\(\d+(\.\d+)?deg\)/.test(rotation), `${A.id}'s arrow is rotated to its track (${rotation})`);

    const entry = await page.waitForSelector('#active li.encounter', WAIT);
    const id = await entry.evaluate((e) => e.dataset.encounter);
    const text = await entry.evaluate((e) => e.textContent);
    check(text.includes(A.callsign) && text.includes(B.callsign), `active entry ${id} names both aircraft: "${text}"`);
    await page.waitForSelector(`path.encounter-line[data-encounter="${id}"]`, WAIT);
    check(true, 'the connecting line is drawn');
    const lineLabel = await page.$eval('.leaflet-tooltip.encounter-label', (e) => e.textContent);
    check(/\d+\.\d\d NM · \d+ ft · CPA/.test(lineLabel), `the line is labelled with the separation: "${lineLabel}"`);
    const markerClass = await page.$eval(`.track-marker[data-track="${B.id}"]`, (e) => e.className);
    check(/sev-(WARNING|ALERT)/.test(markerClass), `the marker is coloured by severity (${markerClass})`);
    await page.waitForFunction((t) => document.getElementById('clock').textContent === t, WAIT, LAST_DATA_TIME);
    check(true, `the clock shows the data time ${LAST_DATA_TIME}`);
    await page.waitForFunction(() => document.getElementById('count-tracks').textContent === '2', WAIT);
    check(true, 'the track count is 2');
    await page.screenshot({ path: path.join(outDir, 'map_encounter.png') });

    // Drag the map away from the pair, then click the entry: the pair is back in the middle.
    const box = await (await page.$('#map')).boundingBox();
    const middle = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const pairMiddle = () => page.evaluate((ids) => {
      const r = ids.map((i) => document.querySelector(`.track-marker[data-track="${i}"]`).getBoundingClientRect());
      return { x: (r[0].x + r[0].width / 2 + r[1].x + r[1].width / 2) / 2, y: (r[0].y + r[0].height / 2 + r[1].y + r[1].height / 2) / 2 };
    }, [A.id, B.id]);
    await page.mouse.move(middle.x, middle.y);
    await page.mouse.down();
    await page.mouse.move(middle.x - 300, middle.y - 200, { steps: 10 });
    await page.mouse.up();
    const dragged = await pairMiddle();
    check(Math.hypot(dragged.x - middle.x, dragged.y - middle.y) > 200, 'the map was dragged away from the pair');
    await page.click(`#active li.encounter[data-encounter="${id}"]`);
    await page.waitForFunction((ids, m) => {
      const r = ids.map((i) => document.querySelector(`.track-marker[data-track="${i}"]`).getBoundingClientRect());
      const x = (r[0].x + r[0].width / 2 + r[1].x + r[1].width / 2) / 2;
      const y = (r[0].y + r[0].height / 2 + r[1].y + r[1].height / 2) / 2;
      return Math.hypot(x - m.x, y - m.y) < 20;
    }, WAIT, [A.id, B.id], middle);
    check(true, 'a click on the entry centres the map on the pair');

    // One aircraft far away (north of Paris), 70 to 130 s after the excerpt: the pair goes stale.
    const later = path.join(tmpDir, 'later.csv');
    let csv = 'time_s,track_id,callsign,lat_deg,lon_deg,alt_ft,gs_kt,track_deg,vrate_fpm,on_ground\n';
    for (let t = 1512141770; t <= 1512141830; t += 10) {
      csv += `${t},4ca123,LATE1,49.5,2.5,35000,450,0,0,\n`;
    }
    fs.writeFileSync(later, csv);
    replay(later);
    await page.waitForSelector(`#history li.encounter[data-encounter="${id}"]`, WAIT);
    const history = await page.$eval(`#history li.encounter[data-encounter="${id}"]`, (e) => e.textContent);
    check(/closest \d+\.\d\d NM \/ \d+ ft/.test(history), `the ended encounter is in the history with its closest approach: "${history}"`);
    check(await page.$(`#active li.encounter[data-encounter="${id}"]`) === null, 'it left the active list');
    await page.waitForFunction((i) => {
      const line = document.querySelector(`path.encounter-line[data-encounter="${i}"]`);
      return line === null || line.classList.contains('ended');
    }, WAIT, id);
    check(true, 'its line fades out');
    await page.waitForFunction(() => !document.querySelector('.track-marker[data-track="39c424"]'), WAIT);
    check(true, 'the stale tracks left the map');
    await page.screenshot({ path: path.join(outDir, 'map_ended.png') });
    check(pageErrors.length === 0, 'the page threw no error' + (pageErrors.length ? ': ' + pageErrors.join('; ') : ''));
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error('FAIL: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
