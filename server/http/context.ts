import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config';
import type { ConnectionCache } from '../ingest/connectionCache';
import type { StatusBatcher } from '../ingest/statusBatcher';
import type { ProviderRegistry } from '../providers';
import type { Publish } from '../sockets/publish';
import type { Scope, Store, User } from '../store/types';

/** What every handler may use; built once by createApp. */
export interface AppDeps {
  config: Config;
  store: Store;
  providers: ProviderRegistry;
  publish: Publish;
  statuses: StatusBatcher;
  connections: ConnectionCache;
  /** The address the server really listens on (differs from PUBLIC_URL behind a proxy). */
  internalUrl(): string;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  deps: AppDeps;
}

export interface AuthedContext extends RequestContext {
  user: User;
  scope: Scope;
}

export type Handler = (ctx: RequestContext) => Promise<void>;
