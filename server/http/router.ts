// A small router: method + path pattern with :params. Everything a handler throws is turned into the
// JSON error shape; anything that is not an HttpError is logged and answered 500 without details.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, bearerToken, scopeOf } from '../auth';
import type { AppDeps, AuthedContext, Handler, RequestContext } from './context';
import { HttpError, unauthorized } from './errors';
import { sendError } from './respond';

interface Route { method: string; parts: string[]; handler: Handler }

export class Router {
  private routes: Route[] = [];
  /**
   * Matches remembered by method and path: providers post to the same few webhook paths all day, and splitting,
   * decoding and trying every route again cost more per callback than the rest of the routing. Bounded like
   * the connection cache; each hit gets its own copy of the params.
   */
  private matches = new Map<string, { route: Route; params: Record<string, string> } | 'method' | null>();

  on(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
    this.matches.clear();
    return this;
  }

  private match(method: string, pathname: string): { route: Route; params: Record<string, string> } | 'method' | null {
    const key = method + ' ' + pathname;
    let found = this.matches.get(key);
    if (found === undefined) {
      found = this.matchUncached(method, pathname);
      if (this.matches.size >= 1_000) this.matches.clear();
      this.matches.set(key, found);
    }
    return found && found !== 'method' ? { route: found.route, params: { ...found.params } } : found;
  }

  private matchUncached(method: string, pathname: string): { route: Route; params: Record<string, string> } | 'method' | null {
    let segments: string[];
    try { segments = pathname.split('/').filter(Boolean).map(decodeURIComponent); } catch { return null; }
    if (segments.some(s => s.includes('\0'))) return null; // no id has a NUL (and PostgreSQL text cannot hold one)
    let wrongMethod = false;
    for (const route of this.routes) {
      const last = route.parts[route.parts.length - 1];
      const rest = last === '*';
      if (rest ? segments.length < route.parts.length - 1 : segments.length !== route.parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < route.parts.length && ok; i++) {
        const p = route.parts[i];
        if (p === '*') params['*'] = segments.slice(i).join('/');
        else if (p.startsWith(':')) params[p.slice(1)] = segments[i];
        else ok = p === segments[i];
      }
      if (!ok) continue;
      if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) { wrongMethod = true; continue; }
      return { route, params };
    }
    return wrongMethod ? 'method' : null;
  }

  async handle(req: IncomingMessage, res: ServerResponse, deps: AppDeps): Promise<void> {
    let url: URL;
    try { url = new URL(req.url ?? '/', 'http://localhost'); } catch { return sendError(res, 400, 'invalid_url', 'the request URL is malformed'); }
    if (url.search && [...url.searchParams].some(([k, v]) => k.includes('\0') || v.includes('\0'))) return sendError(res, 400, 'invalid_query', 'the query string contains a NUL character');
    const found = this.match(req.method ?? 'GET', url.pathname);
    if (found === 'method') return sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed here`);
    if (!found) return sendError(res, 404, 'not_found', 'no such endpoint');
    try {
      await found.route.handler({ req, res, url, params: found.params, deps });
    } catch (e) {
      if (res.headersSent) { res.destroy(); return; }
      if (e instanceof HttpError) return sendError(res, e.status, e.code, e.message);
      console.error(`error in ${req.method} ${url.pathname}:`, e);
      sendError(res, 500, 'internal', 'the server failed; nothing was acknowledged');
    }
  }
}

/** Wraps a handler that needs a signed-in user (Bearer token). */
export function authed(handler: (ctx: AuthedContext) => Promise<void>): Handler {
  return async ctx => {
    const user = await authenticate(ctx.deps.store, bearerToken(ctx.req.headers.authorization));
    if (!user) throw unauthorized();
    await handler({ ...ctx, user, scope: scopeOf(user) });
  };
}
