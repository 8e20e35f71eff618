import type { Me } from '../../../domain/types';
import { canSeeLocation } from '../../auth';
import { authed } from '../router';
import { sendJson } from '../respond';

export const me = authed(async ({ res, deps, user, scope }) => {
  const [orgName, locations, connections, templates, members] = await Promise.all([
    deps.store.orgName(user.orgId), deps.store.locations(user.orgId), deps.store.connections(user.orgId), deps.store.templates(user.orgId),
    deps.store.members(user.orgId),
  ]);
  const body: Me = {
    id: user.id, name: user.name, role: user.role, orgId: user.orgId, orgName: orgName ?? user.orgId,
    locations: locations.filter(l => canSeeLocation(scope, l.id)).map(({ id, name, timezone, country }) => ({ id, name, timezone, country })),
    // Secrets never leave the server.
    connections: connections.filter(c => canSeeLocation(scope, c.locationId))
      .map(c => ({ id: c.id, provider: c.provider, locationId: c.locationId, numbers: c.numbers })),
    templates: templates.map(({ id, name, body: text }) => ({ id, name, body: text })),
    members,
  };
  sendJson(res, 200, body);
});
