// Credentials of a server on the developer's own machine (localhost, a loopback address, LocalDB) or in a
// Docker Compose network (a service name): the default of a local setup, reachable from nowhere else. They
// are reported as a hint, not as a leaked credential; a password for any other host stays an error.

import { baseName } from '../../fileKind';

const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const LOCAL_NAMES = new Set(['localhost', '::1', '[::1]', '0.0.0.0', 'host.docker.internal', '.', '(local)', '(localdb)']);
/** docker-compose.yml, docker-compose.override.yaml, compose.yaml, compose.dev.yml, docker-compose-tests.override.yml. */
const COMPOSE_FILE = /^(?:docker-)?compose(?:[.-][a-z0-9_]+)*\.ya?ml$/;
const SINGLE_LABEL = /^[a-z0-9_-]+$/;

/** ASP.NET Core settings of the environment named Docker, which Compose files select (ASPNETCORE_ENVIRONMENT=Docker). */
const DOCKER_APPSETTINGS = /^appsettings\.docker(?:\.[a-z0-9_-]+)?\.json$/;

/**
 * Docker Compose files, dev containers and the app settings a Compose setup runs with, where a host without a dot
 * is a service of the same network.
 */
export function isComposePath(path: string): boolean {
  const name = baseName(path).toLowerCase();
  return COMPOSE_FILE.test(name) || DOCKER_APPSETTINGS.test(name) || path.toLowerCase().includes('.devcontainer/');
}

/**
 * The host (no port, no user info) is the local machine, or a Compose service when the file is a Compose file.
 * A single-label name elsewhere (a Kubernetes service, `Data Source=db` in web.config) is a real server.
 */
export function isLocalDevHost(host: string, path: string): boolean {
  const h = hostName(host);
  if (isThisMachine(h)) return true;
  return h.length > 0 && isComposePath(path) && SINGLE_LABEL.test(h);
}

/** The host (no port, no user info) names this machine: localhost, a loopback address, `.`, (local), LocalDB. */
export function isLocalMachineHost(host: string): boolean {
  return isThisMachine(hostName(host));
}

/** Lower case, without quotes, a `tcp:` prefix or a SQL Server instance (`(localdb)\MSSQLLocalDB`, `.\SQLEXPRESS`). */
function hostName(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.length >= 2 && (h[0] === '"' || h[0] === "'") && h[h.length - 1] === h[0]) h = h.slice(1, -1);
  const instance = h.indexOf('\\');
  if (instance !== -1) h = h.slice(0, instance);
  if (h.startsWith('tcp:')) h = h.slice(4);
  return h;
}

function isThisMachine(h: string): boolean {
  return LOCAL_NAMES.has(h) || LOOPBACK_V4.test(h) || h.endsWith('.localhost');
}

/** The kind a local-development credential is reported under (SECRET-GENERIC-PASSWORD, a hint). */
export const LOCAL_DEV_KIND = 'Local development password';

export const localDevPatterns: RegExp[] = [LOOPBACK_V4, COMPOSE_FILE, DOCKER_APPSETTINGS, SINGLE_LABEL];
