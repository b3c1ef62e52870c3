import type { Route } from '../router';
import { flowRoutes } from './flows';
import { hoursRoutes } from './hours';
import { instanceRoutes } from './instances';
import { integrationRoutes } from './integrations';
import { lambdaRoutes } from './lambda';
import { lexRoutes } from './lex';
import { moduleRoutes } from './modules';
import { peopleRoutes } from './people';
import { promptRoutes } from './prompts';
import { queueRoutes } from './queues';
import { quickConnectRoutes } from './quick-connects';
import { routingProfileRoutes } from './routing-profiles';
import { tagRoutes } from './tags';

/** Every AWS API route the emulator serves, one module per resource family. */
export const allRoutes: Route[] = [
  ...instanceRoutes,
  ...hoursRoutes,
  ...queueRoutes,
  ...routingProfileRoutes,
  ...promptRoutes,
  ...quickConnectRoutes,
  ...peopleRoutes,
  ...tagRoutes,
  ...integrationRoutes,
  ...lambdaRoutes,
  ...lexRoutes,
  ...flowRoutes,
  ...moduleRoutes,
];
