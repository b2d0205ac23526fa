// The status page of KFM Telemetry Streams: reads the service's JSON endpoints every 10 s and
// renders them with the DOM API only (scope names and messages come from producers: never HTML).
'use strict';

(function () {
  const REFRESH_MS = 10000;
  const HISTORY_SCOPES = 50; // trends are fetched for this many scopes shown, worst first
  const SVG = 'http://www.w3.org/2000/svg';
  const RANK = { FAIL: 0, NO_VERDICT: 1, PASS: 2 };
  let latest = { checks: [], history: {} };

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null) node.setAttribute(k, v);
    }
    for (const c of [].concat(children || [])) {
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function utc(iso) {
    if (!iso) return '–';
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toISOString().slice(0, 16).replace('T', ' ') + 'Z';
  }

  function pct(value) {
    return value === null || value === undefined ? '–' : Number(value).toFixed(1) + ' %';
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => ({}));
    return { status: response.status, body: body };
  }

  function status(check) {
    const verdicts = check.verdicts || [];
    if (verdicts.some((v) => v.status === 'FAIL')) return 'FAIL';
    if (verdicts.length && verdicts.every((v) => v.status === 'PASS')) return 'PASS';
    return 'NO_VERDICT';
  }

  // How far the worse coverage is above its SLO (negative: below), to sort within a status.
  function margin(check) {
    const t = check.trace_coverage_pct === null ? 0 : check.trace_coverage_pct - check.trace_slo_pct;
    const e = check.energy_report_coverage_pct === null
      ? 0 : check.energy_report_coverage_pct - check.energy_slo_pct;
    return Math.min(t, e);
  }

  function worstFirst(a, b) {
    return RANK[status(a)] - RANK[status(b)] || margin(a) - margin(b) || a.scope.localeCompare(b.scope);
  }

  // The start of the current failing streak, from the trend (null when passing or unknown).
  function failingSince(scope) {
    const points = (latest.history[scope] || {}).points || [];
    let since = null;
    for (let i = points.length - 1; i >= 0 && points[i].status === 'FAIL'; i--) {
      since = points[i].window_end;
    }
    return since;
  }

  function coverageCell(value, slo, field) {
    const below = value !== null && value !== undefined && value < slo;
    return el('td', { class: 'num', 'data-field': field }, [
      el('span', { class: below ? 'below' : null, 'data-value': value === null ? '' : value }, pct(value)),
      ' (' + Number(slo).toFixed(1) + ' %)',
    ]);
  }

  function trend(scope, check) {
    const h = latest.history[scope];
    const cell = el('td', { 'data-field': 'trend' });
    if (!h || !h.points.length) {
      cell.append('no evaluations in the last 24 h');
      return cell;
    }
    const W = 240, H = 48, now = Date.now(), from = now - 24 * 3600 * 1000;
    const x = (iso) => Math.max(0, Math.min(W, ((new Date(iso) - from) / (now - from)) * W));
    const y = (p) => H - 2 - (p / 100) * (H - 4);
    const last = h.points[h.points.length - 1];
    const chart = svg('svg', {
      class: 'trend', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img',
      'aria-label': `${h.points.length} evaluations in the last 24 h; latest trace ${pct(last.trace_coverage_pct)}`
        + `, energy ${pct(last.energy_report_coverage_pct)}; SLOs ${h.trace_slo_pct} % and ${h.energy_slo_pct} %`,
    });
    chart.append(svg('rect', { class: 'frame', x: 0, y: 0, width: W, height: H }));
    chart.append(svg('line', { class: 'slo trace-slo', x1: 0, x2: W, y1: y(h.trace_slo_pct), y2: y(h.trace_slo_pct) }));
    chart.append(svg('line', { class: 'slo energy-slo', x1: 0, x2: W, y1: y(h.energy_slo_pct), y2: y(h.energy_slo_pct) }));
    for (const [field, cls] of [['trace_coverage_pct', 'trace'], ['energy_report_coverage_pct', 'energy']]) {
      const pts = h.points.filter((p) => p[field] !== null).map((p) => `${x(p.window_end).toFixed(1)},${y(p[field]).toFixed(1)}`);
      if (pts.length === 1) pts.push(pts[0].replace(/^[\d.]+/, (v) => String(Math.min(W, Number(v) + 2))));
      if (pts.length) chart.append(svg('polyline', { class: cls, points: pts.join(' ') }));
    }
    cell.append(chart);
    cell.append(el('span', { class: 'legend' }, 'solid: trace, dashed: energy, dotted: SLOs'));
    const rows = h.points.map((p) => el('tr', {}, [
      el('td', {}, utc(p.window_end)), el('td', { class: 'num' }, pct(p.trace_coverage_pct)),
      el('td', { class: 'num' }, pct(p.energy_report_coverage_pct)), el('td', { class: 'num' }, p.runs_checked),
      el('td', {}, p.status)]));
    cell.append(el('details', {}, [
      el('summary', {}, 'Trend as a table'),
      el('table', {}, [
        el('thead', {}, el('tr', {}, ['Window end', 'Trace', 'Energy', 'Runs', 'Status'].map((t) => el('th', { scope: 'col' }, t)))),
        el('tbody', {}, rows)]),
    ]));
    return cell;
  }

  // The verdicts that did not pass, with their reasons; the passing ones by rule id only.
  function verdictsCell(verdicts) {
    const notPassing = verdicts.filter((v) => v.status !== 'PASS');
    const passing = verdicts.filter((v) => v.status === 'PASS').map((v) => v.rule_id);
    const items = notPassing.map((v) => el('li', { 'data-rule': v.rule_id, 'data-status': v.status },
      `${v.rule_id} ${v.status === 'FAIL' ? 'failed' : 'no verdict'}: ${v.reason}`));
    if (passing.length) items.push(el('li', {}, (notPassing.length ? 'passed: ' : 'all passed: ') + passing.join(', ')));
    return el('td', { 'data-field': 'verdicts' }, el('ul', { class: 'verdicts' }, items));
  }

  function renderHealth() {
    const filter = document.getElementById('filter').value.trim().toLowerCase();
    const shown = latest.checks.filter((c) => !filter || c.scope.toLowerCase().includes(filter)).sort(worstFirst);
    const body = document.querySelector('#health tbody');
    body.replaceChildren(...shown.map((c) => {
      const st = status(c);
      const since = st === 'FAIL' ? failingSince(c.scope) : null;
      return el('tr', { 'data-scope': c.scope, 'data-status': st }, [
        el('th', { scope: 'row', 'data-field': 'scope' }, c.scope === '*' ? '* (fleet)' : c.scope),
        el('td', { 'data-field': 'status' }, [el('span', { class: 'badge ' + st }, st === 'NO_VERDICT' ? 'no verdict' : st.toLowerCase()),
          since ? el('span', { class: 'since' }, 'failing since window ending ' + utc(since)) : '']),
        coverageCell(c.trace_coverage_pct, c.trace_slo_pct, 'trace_coverage_pct'),
        coverageCell(c.energy_report_coverage_pct, c.energy_slo_pct, 'energy_report_coverage_pct'),
        el('td', { class: 'num', 'data-field': 'runs_checked' }, String(c.runs_checked)),
        verdictsCell(c.verdicts || []),
        trend(c.scope, c),
      ]);
    }));
    document.getElementById('health-empty').hidden = latest.checks.length > 0;
    document.getElementById('health-count').textContent =
      `${shown.length} of ${latest.checks.length} scopes shown; ${shown.filter((c) => status(c) === 'FAIL').length} failing`;
    return shown;
  }

  async function refreshHealth() {
    const answer = await getJson('/api/health-checks');
    if (answer.status !== 200) {
      latest.checks = [];
      renderHealth();
      document.getElementById('health-empty').textContent =
        `Health checks are shown once the service is RUNNING (now ${answer.body.state || answer.status}).`;
      document.getElementById('health-empty').hidden = false;
      return;
    }
    document.getElementById('health-empty').textContent = 'No health checks yet.';
    latest.checks = answer.body.health_checks || [];
    const shown = renderHealth();
    const scopes = shown.slice(0, HISTORY_SCOPES).map((c) => 'scope=' + encodeURIComponent(c.scope));
    if (scopes.length) {
      const history = await getJson('/api/health-checks/history?hours=24&' + scopes.join('&'));
      if (history.status === 200) {
        latest.history = {};
        for (const h of history.body.history || []) latest.history[h.scope] = h;
        renderHealth();
      }
    }
  }

  async function refreshAlerts() {
    const answer = await getJson('/api/alerts/recent?hours=24');
    const alerts = answer.body.alerts || [];
    document.querySelector('#alerts tbody').replaceChildren(...alerts.map((a) => el('tr', { 'data-alert-id': a.alert_id, 'data-status': a.status }, [
      el('td', {}, utc(a.record_time)),
      el('td', { 'data-field': 'status' }, el('span', { class: 'badge ' + a.status }, a.status)),
      el('td', { 'data-field': 'rules' }, (a.rules || []).join(', ')),
      el('td', { 'data-field': 'scope' }, a.scope || ''),
      el('td', {}, utc(a.ts)),
      el('td', { 'data-field': 'verified', 'data-verified': String(a.verified) },
        a.verified ? '✓ verified' : '✗ not verified: ' + (a.verification || '')),
    ])));
    const empty = document.getElementById('alerts-empty');
    empty.hidden = alerts.length > 0;
    empty.textContent = answer.body.caught_up === false ? 'Reading the alerts topic…' : 'No alerts in the last 24 h.';
  }

  async function refreshDeadLetters() {
    const answer = await getJson('/api/dlq/summary?hours=24');
    const rules = answer.body.by_rule || [];
    document.querySelector('#dlq tbody').replaceChildren(...rules.map((r) => el('tr', { 'data-rule': r.rule }, [
      el('th', { scope: 'row' }, r.rule),
      el('td', { class: 'num', 'data-field': 'count' }, String(r.count)),
      el('td', {}, utc(r.first_minute)),
      el('td', {}, utc(r.last_minute)),
    ])));
    const empty = document.getElementById('dlq-empty');
    empty.hidden = rules.length > 0;
    empty.textContent = answer.body.caught_up === false ? 'Reading the dead-letter topic…' : 'No dead letters in the last 24 h.';
    const rates = answer.body.rates || {};
    const item = (label, value, id) => el('div', {}, [el('dt', {}, label), el('dd', { id: id }, value)]);
    document.getElementById('rates').replaceChildren(
      item('valid / s', String(rates.valid_per_second ?? '–'), 'rate-valid'),
      item('dead letters / s', String(rates.dlq_per_second ?? '–'), 'rate-dlq'),
      item('duplicates / s', String(rates.duplicate_per_second ?? '–'), 'rate-duplicate'),
      item('dead letters, 24 h', String(answer.body.dead_letters ?? '–'), 'dlq-24h'),
      item('instances', String(rates.instances ?? 1), 'instances'));
  }

  async function refreshStatus() {
    const answer = await getJson('/api/status');
    const state = document.getElementById('state');
    const stalled = answer.body.stalled;
    state.textContent = (answer.body.state || 'unknown') + (stalled ? `, stalled: ${stalled}` : '');
    state.className = 'state ' + (answer.body.state === 'RUNNING' && !stalled ? 'ok' : 'not-ok');
    const peers = answer.body.peers || [];
    document.getElementById('peers').textContent = peers.length
      ? '(other instances: ' + peers.map((p) => `${p.instance} ${p.state}${p.stalled ? ' (stalled)' : ''}`)
        .join(', ') + ')' : '';
    const taken = document.getElementById('taken');
    taken.textContent = utc(answer.body.taken_at);
    taken.setAttribute('datetime', answer.body.taken_at || '');
  }

  async function refresh() {
    const problem = document.getElementById('problem');
    try {
      await refreshStatus();
      await Promise.all([refreshHealth(), refreshAlerts(), refreshDeadLetters()]);
      problem.hidden = true;
      document.body.setAttribute('data-loaded', 'true');
    } catch (e) {
      problem.textContent = 'Cannot reach the service: ' + e.message + ' (showing the last data)';
      problem.hidden = false;
    } finally {
      setTimeout(refresh, REFRESH_MS);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('filter').addEventListener('input', renderHealth);
    refresh();
  });
})();
