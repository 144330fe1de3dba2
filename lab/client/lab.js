// The lab's page runtime: runs scenarios from the catalogue and shows what JavaScript saw.
// On /scenario/<id> it runs that scenario once on load and exposes the outcome for tests
// (<html data-lab-state="done" data-lab-outcome="passed|failed">, window.labResult).
import { closedPort, origins, scenarios } from '/catalogue.js';

const TIMEOUT_MS = 10_000;
const FAILING_GROUPS = new Set(['reason', 'beyond', 'network']);

function makeLab(scenario, stage) {
  const nonce = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const query = `?n=${nonce}`;
  const at = (origin, path) => `${origin}/s/${scenario.id}/${path}${query}`;
  const closedOrigin = `http://${new URL(origins.api).hostname}:${closedPort}`;
  return {
    id: scenario.id,
    nonce,
    origins,
    stage,
    api: (path) => at(origins.api, path),
    third: (path) => at(origins.third, path),
    page: (path) => at(origins.page, path),
    closed: (path) => at(closedOrigin, path),
    element(tag, props) {
      return new Promise((resolve, reject) => {
        const el = document.createElement(tag);
        el.addEventListener('load', () => resolve(`load event on <${tag}>`));
        el.addEventListener('error', () => reject(new Error(`error event on <${tag}>`)));
        // crossOrigin and friends first: setting src starts the load.
        for (const [name, value] of Object.entries(props)) if (name !== 'src' && name !== 'href') el[name] = value;
        if ('href' in props) el.href = props.href;
        if ('src' in props) el.src = props.src;
        stage.append(el);
      });
    },
  };
}

function describeError(error) {
  if (error && typeof error === 'object' && 'message' in error) return `${error.name ?? 'Error'}: ${error.message}`;
  return String(error);
}

/** Runs a scenario in this page. Always resolves: { passed, detail }. */
async function runHere(scenario, stage) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no outcome after ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
  });
  try {
    const detail = await Promise.race([scenario.run(makeLab(scenario, stage)), timeout]);
    return { passed: true, detail: String(detail) };
  } catch (error) {
    return { passed: false, detail: describeError(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a scenario on its own page in a frame (for scenarios whose page headers matter). */
function runInFrame(scenario) {
  return new Promise((resolve) => {
    const frame = document.createElement('iframe');
    frame.className = 'runner';
    frame.title = `Runner for ${scenario.id}`;
    const done = (outcome) => {
      window.removeEventListener('message', onMessage);
      clearTimeout(timer);
      frame.remove();
      resolve(outcome);
    };
    const onMessage = (event) => {
      if (event.origin === origins.page && event.data?.labScenario === scenario.id) done(event.data);
    };
    const timer = setTimeout(() => done({ passed: false, detail: 'its page did not report back' }), TIMEOUT_MS + 5000);
    window.addEventListener('message', onMessage);
    frame.src = `/scenario/${scenario.id}?embedded`;
    document.body.append(frame);
  });
}

function show(output, outcome) {
  if (!outcome) {
    output.dataset.state = 'running';
    output.textContent = 'running…';
    return;
  }
  output.dataset.state = outcome.passed ? 'passed' : 'failed';
  output.textContent = `${outcome.passed ? 'Passed' : 'Failed'} — ${outcome.detail}`;
}

function scenarioFor(id) {
  const scenario = scenarios.find((s) => s.id === id);
  if (!scenario) throw new Error(`unknown scenario ${id}`);
  return scenario;
}

// ── One scenario per page: /scenario/<id> ──────────────────────────────────────────────────────────────
async function runScenarioPage(id) {
  const scenario = scenarioFor(id);
  const output = document.getElementById('result');
  const stage = document.getElementById('stage');
  const root = document.documentElement;
  root.dataset.labState = 'running';
  show(output, null);
  const outcome = await runHere(scenario, stage);
  show(output, outcome);
  window.labResult = { id, ...outcome };
  root.dataset.labOutcome = outcome.passed ? 'passed' : 'failed';
  root.dataset.labState = 'done';
  if (window.parent !== window) window.parent.postMessage({ labScenario: id, ...outcome }, origins.page);
}

// ── The index page ─────────────────────────────────────────────────────────────────────────────────────
function setupIndex() {
  const stage = document.createElement('div');
  stage.id = 'stage';
  stage.className = 'stage';
  document.body.append(stage);
  const summary = document.getElementById('summary');
  const buttons = [...document.querySelectorAll('button.run')];

  async function runItem(id) {
    const scenario = scenarioFor(id);
    const output = document.querySelector(`#s-${id} .result`);
    show(output, null);
    const outcome = scenario.ownPage ? await runInFrame(scenario) : await runHere(scenario, stage);
    show(output, outcome);
    return outcome;
  }

  async function runMany(filter) {
    const ids = scenarios.filter((s) => s.runnable && filter(s)).map((s) => s.id);
    for (const button of document.querySelectorAll('button')) button.disabled = true;
    let passed = 0;
    let done = 0;
    for (const id of ids) {
      summary.textContent = `running ${done + 1} of ${ids.length}…`;
      if ((await runItem(id)).passed) passed++;
      done++;
    }
    summary.textContent = `${done} run: ${done - passed} failed, ${passed} passed.`;
    for (const button of document.querySelectorAll('button')) button.disabled = false;
  }

  for (const button of buttons) {
    button.addEventListener('click', async () => {
      button.disabled = true;
      await runItem(button.dataset.id);
      button.disabled = false;
    });
  }
  document.getElementById('run-failing')?.addEventListener('click', () => runMany((s) => FAILING_GROUPS.has(s.group)));
  document.getElementById('run-everything')?.addEventListener('click', () => runMany(() => true));
}

const autorun = document.body.dataset.autorun;
if (autorun) {
  runScenarioPage(autorun);
  document.querySelector('button.run')?.addEventListener('click', () => runScenarioPage(autorun));
} else if (document.body.classList.contains('index')) {
  setupIndex();
} else {
  const again = document.querySelector('button.run');
  if (again) again.disabled = true;
}
