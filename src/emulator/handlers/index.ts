import type { Route } from '../router';
import { instanceRoutes } from './instances';
import { flowRoutes } from './flows';
import { moduleRoutes } from './modules';

/** Every AWS API route the emulator serves, one module per resource family. */
export const allRoutes: Route[] = [...instanceRoutes, ...flowRoutes, ...moduleRoutes];
