// One authenticated API request, as the handlers see it.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeContext } from '../context.ts';
import type { TestUser } from '../rbac.ts';
import type { ResourceRoute } from './http.ts';

export interface ApiRequest {
  context: KubeContext;
  route: ResourceRoute;
  query: URLSearchParams;
  accept: string;
  contentType: string;
  method: string;
  verb: string;
  user: TestUser;
  request: IncomingMessage;
  response: ServerResponse;
  body(): Promise<unknown>;
}
