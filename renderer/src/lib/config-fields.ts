/**
 * The experiment config schema as form fields: each settable key with its
 * kind, range and choices, read from the zod schema itself, so the form and
 * `ddrl run --set` accept exactly the same values.
 */
import { z } from 'zod';
import { experimentConfigSchema } from '@shared/config/experiment.ts';

export interface ConfigField {
  /** Dotted key, as `--set` takes it. */
  readonly key: string;
  readonly kind: 'int' | 'real' | 'enum' | 'bool' | 'int-list' | 'enum-list' | 'text';
  readonly min: number | null;
  readonly max: number | null;
  /** The choices of an enum (or of each element of an enum list). */
  readonly options: readonly string[];
  readonly nullable: boolean;
}

function unwrap(schema: z.ZodType): { inner: z.ZodType; nullable: boolean } {
  let inner = schema;
  let nullable = false;
  for (;;) {
    if (inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
    else if (inner instanceof z.ZodNullable) {
      nullable = true;
      inner = inner.unwrap() as z.ZodType;
    } else return { inner, nullable };
  }
}

const finite = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

function fieldOf(key: string, schema: z.ZodType): ConfigField[] {
  const { inner, nullable } = unwrap(schema);
  const base = { key, min: null, max: null, options: [], nullable };
  if (inner instanceof z.ZodObject) return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([k, s]) => fieldOf(key ? `${key}.${k}` : k, s));
  if (inner instanceof z.ZodNumber) return [{ ...base, kind: inner.isInt ? 'int' : 'real', min: finite(inner.minValue), max: finite(inner.maxValue) }];
  if (inner instanceof z.ZodEnum) return [{ ...base, kind: 'enum', options: inner.options.map(String) }];
  if (inner instanceof z.ZodBoolean) return [{ ...base, kind: 'bool' }];
  if (inner instanceof z.ZodArray) {
    const element = unwrap(inner.element as z.ZodType).inner;
    if (element instanceof z.ZodNumber) return [{ ...base, kind: 'int-list', min: finite(element.minValue), max: finite(element.maxValue) }];
    if (element instanceof z.ZodEnum) return [{ ...base, kind: 'enum-list', options: element.options.map(String) }];
  }
  return [{ ...base, kind: 'text' }];
}

export const CONFIG_FIELDS: readonly ConfigField[] = fieldOf('', experimentConfigSchema);

/** The config section a key belongs to (`distill.size` -> `distill`; top-level keys -> `run`). */
export const sectionOf = (key: string): string => (key.includes('.') ? key.slice(0, key.indexOf('.')) : 'run');

export function describeRange(field: ConfigField): string {
  if (field.kind === 'enum') return field.options.join(' | ');
  if (field.kind === 'bool') return 'true | false';
  if (field.kind === 'enum-list') return `list of ${field.options.join(' | ')}`;
  const range = field.min !== null || field.max !== null ? `${field.min ?? '−∞'}..${field.max ?? '∞'}` : '';
  const kind =
    field.kind === 'int-list' ? `list of integers ${range}` : field.kind === 'int' ? `integer ${range}` : field.kind === 'real' ? `number ${range}` : 'text';
  return field.nullable ? `${kind}, or null` : kind;
}
