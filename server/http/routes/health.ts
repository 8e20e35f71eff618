import type { Handler } from '../context';
import { sendError, sendJson } from '../respond';

/** 200 once the database can be read and written (CONTRACT "Running"). */
export const health: Handler = async ({ res, deps }) => {
  try {
    await deps.store.ping();
    sendJson(res, 200, { ok: true });
  } catch (e) {
    sendError(res, 503, 'database_unavailable', `the database cannot be used: ${(e as Error).message}`);
  }
};
