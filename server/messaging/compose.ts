// The text to send: a free body, or an approved template with its merge fields filled.
import { renderTemplate } from '../../domain/templates';
import { badRequest, notFound } from '../http/errors';
import { MAX_BODY_CHARS, optionalObject, optionalString } from '../http/validate';
import type { Store } from '../store/types';

/** Returns the text, or undefined when the request names neither a body nor a template. */
export async function composeBody(store: Store, orgId: string, input: Record<string, unknown>): Promise<string | undefined> {
  const body = optionalString(input, 'body', MAX_BODY_CHARS);
  const templateId = optionalString(input, 'templateId', 200);
  if (body !== undefined && templateId !== undefined) throw badRequest('send either body or templateId, not both');
  if (templateId !== undefined) {
    const template = await store.template(orgId, templateId);
    if (!template) throw notFound('template');
    const vars = optionalObject(input, 'vars') ?? {};
    const { text, missing } = renderTemplate(template.body, vars);
    if (missing.length) throw badRequest(`template fields without a value: ${missing.join(', ')}`, 'missing_template_field');
    if (text.length > MAX_BODY_CHARS) throw badRequest(`the filled template is longer than ${MAX_BODY_CHARS} characters`);
    return text;
  }
  if (body === undefined) return undefined;
  if (body.trim() === '') throw badRequest('body is empty');
  return body;
}
