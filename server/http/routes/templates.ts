// Templates: agents use the active ones (listed in /api/me); admins create, edit and archive them.
import { templateFields } from '../../../domain/templates';
import type { TemplateRow } from '../../../domain/types';
import { readJson } from '../body';
import type { AuthedContext } from '../context';
import { badRequest, forbidden, notFound } from '../errors';
import { sendJson } from '../respond';
import { authed } from '../router';
import { MAX_BODY_CHARS, optionalString } from '../validate';

const toJson = (t: TemplateRow): TemplateRow & { fields: string[] } =>
  ({ id: t.id, name: t.name, body: t.body, archived: t.archived, updatedAt: t.updatedAt, fields: templateFields(t.body) });

function requireAdmin(ctx: AuthedContext): void {
  if (ctx.user.role !== 'admin') throw forbidden('only admins manage templates');
}

function validBody(body: string): string {
  if (body.trim() === '') throw badRequest('body is empty');
  // A stray "{{" would be sent to customers as is: every field must be a plain {{name}}.
  const stripped = body.replace(/\{\{\s*[A-Za-z][A-Za-z0-9_]*\s*\}\}/g, '');
  if (stripped.includes('{{') || stripped.includes('}}')) throw badRequest('body has a malformed merge field: write fields as {{firstName}}');
  return body;
}

export const listTemplates = authed(async ({ url, res, deps, user }) => {
  const all = url.searchParams.get('archived') === '1';
  sendJson(res, 200, { templates: (await deps.store.templates(user.orgId, all)).map(toJson) });
});

export const createTemplate = authed(async ctx => {
  requireAdmin(ctx);
  const input = await readJson(ctx.req);
  const name = optionalString(input, 'name', 120)?.trim();
  const body = optionalString(input, 'body', MAX_BODY_CHARS);
  if (!name) throw badRequest('name is required');
  if (body === undefined) throw badRequest('body is required');
  sendJson(ctx.res, 201, toJson(await ctx.deps.store.createTemplate(ctx.user.orgId, name, validBody(body))));
});

export const updateTemplate = authed(async ctx => {
  requireAdmin(ctx);
  const input = await readJson(ctx.req);
  const name = optionalString(input, 'name', 120)?.trim();
  const body = optionalString(input, 'body', MAX_BODY_CHARS);
  const archived = input.archived;
  if (name !== undefined && name === '') throw badRequest('name is empty');
  if (archived !== undefined && typeof archived !== 'boolean') throw badRequest('archived must be true or false');
  const updated = await ctx.deps.store.updateTemplate(ctx.user.orgId, ctx.params.id, {
    name, body: body === undefined ? undefined : validBody(body), archived: archived as boolean | undefined,
  });
  if (!updated) throw notFound('template');
  sendJson(ctx.res, 200, toJson(updated));
});
