/**
 * A small JSON Schema (draft 2020-12) validator for the keywords docs/export.schema.json uses. It refuses
 * any keyword it does not implement, so the schema cannot rely on something this test silently ignores.
 */
type Schema = boolean | { [keyword: string]: unknown };

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$comment', 'examples', 'default', '$defs']);
const KEYWORDS = new Set([
  'type',
  'const',
  'enum',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  '$ref',
  'oneOf',
  'anyOf',
  'format',
]);

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  const resolve = (ref: string): Schema => {
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part];
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
    return node as Schema;
  };

  const check = (schema: Schema, v: unknown, path: string): boolean => {
    const before = errors.length;
    const fail = (message: string) => errors.push(`${path || '/'}: ${message}`);
    if (schema === true) return true;
    if (schema === false) {
      fail('not allowed');
      return false;
    }
    for (const key of Object.keys(schema)) {
      if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key)) throw new Error(`keyword ${key} is not supported by this validator`);
    }
    if (schema.$ref !== undefined) check(resolve(schema.$ref as string), v, path);
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      const t = typeOf(v);
      if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) fail(`expected ${types.join('|')}, got ${t}`);
    }
    if ('const' in schema && !sameJson(schema.const, v)) fail(`expected ${JSON.stringify(schema.const)}`);
    if (schema.enum !== undefined && !(schema.enum as unknown[]).some((e) => sameJson(e, v))) fail(`${JSON.stringify(v)} not in enum`);
    if (schema.format === 'date-time' && typeof v === 'string' && !DATE_TIME.test(v)) fail('not a date-time');
    if (typeof v === 'number') {
      if (typeof schema.minimum === 'number' && v < schema.minimum) fail(`below ${schema.minimum}`);
      if (typeof schema.maximum === 'number' && v > schema.maximum) fail(`above ${schema.maximum}`);
    }
    if (typeOf(v) === 'object') {
      const o = v as Record<string, unknown>;
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      for (const key of (schema.required ?? []) as string[]) if (!(key in o)) fail(`missing ${key}`);
      for (const [key, child] of Object.entries(o)) {
        if (key in props) check(props[key]!, child, `${path}/${key}`);
        else if (schema.additionalProperties !== undefined) check(schema.additionalProperties as Schema, child, `${path}/${key}`);
      }
    }
    if (Array.isArray(v)) {
      const prefix = (schema.prefixItems ?? []) as Schema[];
      if (typeof schema.minItems === 'number' && v.length < schema.minItems) fail(`fewer than ${schema.minItems} items`);
      if (typeof schema.maxItems === 'number' && v.length > schema.maxItems) fail(`more than ${schema.maxItems} items`);
      v.forEach((item, i) => {
        if (i < prefix.length) check(prefix[i]!, item, `${path}/${i}`);
        else if (schema.items !== undefined) check(schema.items as Schema, item, `${path}/${i}`);
      });
    }
    for (const [keyword, need] of [
      ['oneOf', 1],
      ['anyOf', 0],
    ] as const) {
      const options = schema[keyword] as Schema[] | undefined;
      if (!options) continue;
      const mark = errors.length;
      const passing = options.filter((option) => {
        const m = errors.length;
        const ok = check(option, v, path);
        errors.length = m;
        return ok;
      }).length;
      errors.length = mark;
      if (need === 1 ? passing !== 1 : passing === 0) fail(`${keyword}: ${passing} branches matched`);
    }
    return errors.length === before;
  };

  check(root, value, '');
  return errors;
}
