import { createHash } from 'node:crypto';
import type { Role } from '../domain/types';
import type { Scope, Store, User } from './store/types';

/** Tokens are stored only as SHA-256: they are long random secrets, so a fast hash is enough. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function bearerToken(header: string | undefined): string | null {
  const m = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return m ? m[1] : null;
}

export async function authenticate(store: Store, token: string | null): Promise<User | null> {
  if (!token) return null;
  return store.userByTokenHash(hashToken(token));
}

const WHOLE_ORG: Role[] = ['supervisor', 'admin'];

/** What a user may see: agents their locations, supervisors and admins the whole org. */
export function scopeOf(user: User): Scope {
  return { orgId: user.orgId, locationIds: WHOLE_ORG.includes(user.role) ? null : user.locationIds };
}

export function canSeeLocation(scope: Scope, locationId: string): boolean {
  return scope.locationIds === null || scope.locationIds.includes(locationId);
}
