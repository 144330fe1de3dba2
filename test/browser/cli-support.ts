/**
 * Shared by the CLI's browser tests (cli-chromium, cli-firefox, start): run the built CLI as a user would,
 * build it first, and check an export document against docs/export.schema.json (a small structural JSON
 * Schema check: the keywords that schema needs, no dependency).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/cli/paths.ts';

export const ROOT = PROJECT_ROOT;
export const BIN = join(ROOT, 'bin', 'cors-explainer.mjs');

/** Builds dist/cli from the current source (half a second), so that spawned CLIs run this code. */
export function buildCli(): void {
  const run = spawnSync('npx', ['vite', 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'error'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`building the CLI failed:\n${run.stderr}${run.stdout}`);
}

/** The extension build the tests load; a clear failure when `npm run build` has not run. */
export function requireExtensionBuild(target: 'chrome' | 'firefox'): string {
  const dir = join(ROOT, 'dist', target);
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`${dir} is missing: run \`npm run build\` first`);
  return dir;
}

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `node <script> ...args` with the given environment changes (undefined removes a variable). */
export function runNode(script: string, args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 60_000): Promise<CliRun> {
  const started = Date.now();
  const fullEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete fullEnv[name];
    else fullEnv[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  return runNode(BIN, args, env);
}

// ── Export documents ─────────────────────────────────────────────────────────────────────────────────

export const EXPORT_SCHEMA_FILE = join(ROOT, 'docs', 'export.schema.json');

/** Problems with an export document: the fields the CLI and its users rely on, then, when
 * docs/export.schema.json exists, everything that schema says. Empty when it is valid. */
export function exportProblems(doc: unknown): string[] {
  const problems: string[] = [];
  const top = doc as Record<string, unknown>;
  if (typeof doc !== 'object' || doc === null) return ['not an object'];
  if (top.schema !== 'cors-explainer/export') problems.push(`schema is ${JSON.stringify(top.schema)}`);
  if (top.schemaVersion !== 1) problems.push(`schemaVersion is ${JSON.stringify(top.schemaVersion)}`);
  for (const field of ['generatedAt', 'extensionVersion', 'engine']) {
    if (typeof top[field] !== 'string') problems.push(`${field} is not a string`);
  }
  for (const field of ['tabId', 'dropped']) if (typeof top[field] !== 'number') problems.push(`${field} is not a number`);
  if (!Array.isArray(top.records)) {
    problems.push('records is not an array');
  } else {
    top.records.forEach((record: Record<string, unknown>, i) => {
      for (const field of ['id', 'time', 'method', 'url', 'type', 'reason', 'engineName', 'stage', 'certainty', 'title', 'verdict']) {
        if (typeof record?.[field] !== 'string') problems.push(`records[${i}].${field} is not a string`);
      }
      for (const field of ['fix', 'request']) {
        if (typeof record?.[field] !== 'object' || record[field] === null) problems.push(`records[${i}].${field} is missing`);
      }
    });
  }
  if (existsSync(EXPORT_SCHEMA_FILE)) {
    const schema = JSON.parse(readFileSync(EXPORT_SCHEMA_FILE, 'utf8')) as Schema;
    problems.push(...schemaProblems(schema, doc, '$', schema));
  }
  return problems;
}

type Schema = boolean | { [keyword: string]: unknown };

/** A structural JSON Schema check (draft 2020-12 / 07 keywords used by plain data schemas). Unknown
 * keywords are ignored, so it can only be more lenient than a full validator, never stricter. */
export function schemaProblems(schema: Schema, value: unknown, path: string, root: Schema): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: not allowed`];
  const s = schema;
  const problems: string[] = [];
  if (typeof s.$ref === 'string') {
    const target = resolveRef(root, s.$ref);
    if (target === undefined) return [`${path}: unresolvable $ref ${s.$ref}`];
    problems.push(...schemaProblems(target, value, path, root));
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => hasType(value, t))) return [...problems, `${path}: expected ${types.join('|')}, got ${typeName(value)}`];
  }
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(value)) problems.push(`${path}: expected ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
  }
  if (typeof value === 'string') {
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) problems.push(`${path}: does not match ${s.pattern}`);
    if (typeof s.minLength === 'number' && value.length < s.minLength) problems.push(`${path}: shorter than ${s.minLength}`);
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) problems.push(`${path}: below ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) problems.push(`${path}: above ${s.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) problems.push(`${path}: fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) problems.push(`${path}: more than ${s.maxItems} items`);
    const prefix = (s.prefixItems as Schema[] | undefined) ?? (Array.isArray(s.items) ? (s.items as Schema[]) : undefined);
    value.forEach((item, i) => {
      const itemSchema = prefix && i < prefix.length ? prefix[i] : Array.isArray(s.items) ? s.additionalItems : s.items;
      if (itemSchema !== undefined) problems.push(...schemaProblems(itemSchema as Schema, item, `${path}[${i}]`, root));
    });
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    for (const name of (s.required as string[] | undefined) ?? []) if (!(name in object)) problems.push(`${path}: missing ${name}`);
    for (const [name, item] of Object.entries(object)) {
      const propertySchema = properties[name];
      if (propertySchema !== undefined) problems.push(...schemaProblems(propertySchema, item, `${path}.${name}`, root));
      else if (s.additionalProperties === false) problems.push(`${path}: unexpected property ${name}`);
      else if (typeof s.additionalProperties === 'object') {
        problems.push(...schemaProblems(s.additionalProperties as Schema, item, `${path}.${name}`, root));
      }
    }
  }
  for (const part of (s.allOf as Schema[] | undefined) ?? []) problems.push(...schemaProblems(part, value, path, root));
  if (Array.isArray(s.anyOf) && !s.anyOf.some((part) => schemaProblems(part as Schema, value, path, root).length === 0)) {
    problems.push(`${path}: matches none of anyOf`);
  }
  if (Array.isArray(s.oneOf)) {
    const matching = s.oneOf.filter((part) => schemaProblems(part as Schema, value, path, root).length === 0).length;
    if (matching !== 1) problems.push(`${path}: matches ${matching} of oneOf (exactly one needed)`);
  }
  return problems;
}

function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  return node as Schema | undefined;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Starts `cors-explainer check <url> --verbose`, sends `signal` as soon as the browser is up, and returns
 * how the process ended with the browser profile it had announced (so a test can see it was deleted).
 */
export async function interruptCheck(args: string[], signal: NodeJS.Signals): Promise<CliRun & { profile: string }> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args, '--verbose'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let profile = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    const announced = /started with extension .* \(profile (\S+)\)/.exec(stderr)?.[1];
    if (announced && !profile) {
      profile = announced;
      child.kill(signal);
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the interrupted check did not end within 60 s; stderr: ${stderr}`));
    }, 60_000);
    child.on('close', (status, endSignal) => {
      clearTimeout(timer);
      resolve({ status, signal: endSignal, stdout, stderr, ms: Date.now() - started, profile });
    });
  });
}
