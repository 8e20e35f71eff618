// Small input readers that fail with a 400 naming the field.
import { badRequest } from './errors';

export function optionalString(body: Record<string, unknown>, field: string, max = 2000): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`${field} must be a string`);
  if (v.length > max) throw badRequest(`${field} is longer than ${max} characters`);
  return v;
}

export function requiredString(body: Record<string, unknown>, field: string, max = 2000): string {
  const v = optionalString(body, field, max);
  if (v === undefined || v.trim() === '') throw badRequest(`${field} is required`);
  return v;
}

export function optionalObject(body: Record<string, unknown>, field: string): Record<string, unknown> | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest(`${field} must be an object`);
  return v as Record<string, unknown>;
}

export function optionalBoolean(body: Record<string, unknown>, field: string): boolean {
  const v = body[field];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw badRequest(`${field} must be true or false`);
  return v;
}

/** A longer text is split by the provider into at most 10 segments; refuse what no provider would take. */
export const MAX_BODY_CHARS = 1600;
