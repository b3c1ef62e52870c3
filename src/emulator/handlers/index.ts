import type { Route } from '../router';
import { instanceRoutes } from './instances';

/** Every AWS API route the emulator serves, one module per resource family. */
export const allRoutes: Route[] = [...instanceRoutes];
