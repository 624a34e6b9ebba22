/**
 * The image catalog: the registry the simulated runtime pulls from, as data. Every image the
 * runtime knows is here with its tags, compressed size (what the Pulled event reports and pulls
 * take time by), the image config (entrypoint, cmd, env, exposed ports) and the programs it ships.
 *
 * A `server` is a program that starts, prints its start-up log and then serves its ports until it
 * is stopped; `requiredEnv` makes it exit the way the real image does when a variable is missing.
 * Memory figures are resident set sizes of an idle process, used against `resources.limits.memory`.
 *
 * Tags are those the upstream repositories had by the end of 2025, so a manifest written today
 * pulls. A repository's tags share one image config: the size, logs and env of one release.
 */

export interface ServerProgram {
  /** Ports it listens on (HTTP ports answer any path with 200). */
  ports: number[];
  /** Start-up log lines; `$HOSTNAME` and `$PORT` are substituted. */
  startLog: string[];
  memoryBytes: number;
  /** Exits 0 on SIGTERM within a second (nginx, redis...); otherwise it is killed at the end of the grace period. */
  stopsOnSigterm: boolean;
  httpPorts?: number[];
  requiredEnv?: { anyOf: string[]; log: string[]; exitCode: number };
}

export interface CatalogImage {
  /** Repository, normalized: `docker.io/library/nginx`. */
  repository: string;
  tags: string[];
  sizeBytes: number;
  entrypoint?: string[];
  cmd?: string[];
  env?: Record<string, string>;
  /** Programs on its PATH beyond the shell built-ins (`sh`, `sleep`, `echo`...), keyed by basename. */
  servers?: Record<string, ServerProgram>;
  /** No shell in the image (distroless, pause, hello-world): `sh -c` fails to start. */
  noShell?: boolean;
  /** What the image's own default program prints before exiting 0 (hello-world). */
  printsAndExits?: string[];
}

const MiB = 1024 * 1024;

const nginxStartLog = [
  '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
  '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
  '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
  '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
  '/docker-entrypoint.sh: Configuration complete; ready for start up',
  'nginx/1.27.3 start worker processes',
];

export const IMAGE_CATALOG: CatalogImage[] = [
  {
    repository: 'docker.io/library/nginx',
    tags: ['latest', '1.29', '1.29.0', '1.29.1', '1.28', '1.28.0', '1.27', '1.27.5', '1.27.4', '1.27.3', '1.26', '1.25', '1.29-alpine', '1.28-alpine', '1.27-alpine', 'alpine', 'stable', 'stable-alpine', 'mainline', 'mainline-alpine', '1.14.2', '1.16.1', '1.7.9'],
    sizeBytes: 72_188_133,
    entrypoint: ['/docker-entrypoint.sh'],
    cmd: ['nginx', '-g', 'daemon off;'],
    env: { NGINX_VERSION: '1.27.3' },
    servers: { nginx: { ports: [80], httpPorts: [80], startLog: nginxStartLog, memoryBytes: 12 * MiB, stopsOnSigterm: true } },
  },
  {
    repository: 'docker.io/library/busybox',
    tags: ['latest', '1.36', '1.36.1', '1.37', '1.37.0', '1.28', 'stable', 'musl', 'glibc'],
    sizeBytes: 2_166_802,
    cmd: ['sh'],
  },
  { repository: 'docker.io/library/alpine', tags: ['latest', '3.22', '3.21', '3.20', '3.19', '3', 'edge'], sizeBytes: 3_642_247, cmd: ['/bin/sh'] },
  { repository: 'docker.io/library/ubuntu', tags: ['latest', 'rolling', '25.04', '24.04', '22.04', '20.04', 'plucky', 'noble', 'jammy', 'focal'], sizeBytes: 29_754_290, cmd: ['/bin/bash'] },
  { repository: 'docker.io/library/debian', tags: ['latest', 'stable', 'stable-slim', '13', 'trixie', 'trixie-slim', '12', 'bookworm', 'bookworm-slim', '11', 'bullseye'], sizeBytes: 48_490_129, cmd: ['bash'] },
  {
    repository: 'docker.io/library/redis',
    tags: ['latest', '8', '8.2', '8.0', '8-alpine', '7', '7.4', '7.4.1', '7.2', '6', 'alpine', '7-alpine'],
    sizeBytes: 45_063_425,
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['redis-server'],
    servers: {
      'redis-server': {
        ports: [6379],
        startLog: [
          '1:C 01 Jan 2026 00:00:00.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
          '1:M 01 Jan 2026 00:00:00.000 * Running mode=standalone, port=6379.',
          '1:M 01 Jan 2026 00:00:00.000 * Server initialized',
          '1:M 01 Jan 2026 00:00:00.000 * Ready to accept connections tcp',
        ],
        memoryBytes: 8 * MiB,
        stopsOnSigterm: true,
      },
    },
  },
  {
    repository: 'docker.io/library/postgres',
    tags: ['latest', '18', '18-alpine', '17', '17.2', '17-alpine', '16', '16.6', '15', '14', 'alpine', '16-alpine'],
    sizeBytes: 158_389_702,
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['postgres'],
    servers: {
      postgres: {
        ports: [5432],
        startLog: [
          'PostgreSQL init process complete; ready for start up.',
          'LOG:  starting PostgreSQL 17.2 (Debian 17.2-1.pgdg120+1) on x86_64-pc-linux-gnu',
          'LOG:  listening on IPv4 address "0.0.0.0", port 5432',
          'LOG:  database system is ready to accept connections',
        ],
        memoryBytes: 40 * MiB,
        stopsOnSigterm: true,
        requiredEnv: {
          anyOf: ['POSTGRES_PASSWORD', 'POSTGRES_HOST_AUTH_METHOD'],
          exitCode: 1,
          log: [
            'Error: Database is uninitialized and superuser password is not specified.',
            '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
            '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
          ],
        },
      },
    },
  },
  {
    repository: 'docker.io/library/mysql',
    tags: ['latest', '9', '9.4', '9.3', '9.2', '9.1', 'innovation', '8', '8.4', '8.0', 'lts'],
    sizeBytes: 172_630_813,
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['mysqld'],
    servers: {
      mysqld: {
        ports: [3306, 33060],
        startLog: [
          '[Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.3-1.el9 started.',
          '[System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.4.3) starting as process 1',
          "[System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.3'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.",
        ],
        memoryBytes: 360 * MiB,
        stopsOnSigterm: true,
        requiredEnv: {
          anyOf: ['MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'],
          exitCode: 1,
          log: [
            '[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified',
            '    You need to specify one of the following as an environment variable:',
            '    - MYSQL_ROOT_PASSWORD',
            '    - MYSQL_ALLOW_EMPTY_PASSWORD',
            '    - MYSQL_RANDOM_ROOT_PASSWORD',
          ],
        },
      },
    },
  },
  {
    repository: 'docker.io/library/httpd',
    tags: ['latest', '2.4', '2.4.65', '2.4.63', '2.4.62', '2', 'alpine'],
    sizeBytes: 58_219_441,
    cmd: ['httpd-foreground'],
    servers: {
      'httpd-foreground': {
        ports: [80],
        httpPorts: [80],
        startLog: [
          'AH00558: httpd: Could not reliably determine the server\'s fully qualified domain name, using $HOSTNAME. Set the \'ServerName\' directive globally to suppress this message',
          '[mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations',
          "[core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'",
        ],
        memoryBytes: 6 * MiB,
        stopsOnSigterm: true,
      },
    },
  },
  { repository: 'docker.io/library/node', tags: ['latest', '24', '24-alpine', '22', '22-alpine', '20', '20-alpine', '18', 'lts', 'current', 'alpine'], sizeBytes: 394_311_023, entrypoint: ['docker-entrypoint.sh'], cmd: ['node'] },
  { repository: 'docker.io/library/python', tags: ['latest', '3', '3.14', '3.13', '3.12', '3.11', '3.13-slim', '3.12-slim', 'slim', 'alpine'], sizeBytes: 392_645_338, cmd: ['python3'] },
  { repository: 'docker.io/library/golang', tags: ['latest', '1.25', '1.24', '1.23', '1.22', 'alpine'], sizeBytes: 283_184_102, cmd: ['bash'] },
  {
    repository: 'docker.io/library/memcached',
    tags: ['latest', '1.6', 'alpine'],
    sizeBytes: 31_022_190,
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['memcached'],
    servers: { memcached: { ports: [11211], startLog: [], memoryBytes: 3 * MiB, stopsOnSigterm: true } },
  },
  {
    repository: 'docker.io/library/mongo',
    tags: ['latest', '8', '8.0', '7', '7.0'],
    sizeBytes: 272_390_772,
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['mongod'],
    servers: { mongod: { ports: [27017], startLog: ['{"t":{"$date":"2026-01-01T00:00:00.000+00:00"},"s":"I",  "c":"NETWORK",  "id":23016,   "ctx":"listener","msg":"Waiting for connections","attr":{"port":27017,"ssl":"off"}}'], memoryBytes: 90 * MiB, stopsOnSigterm: true } },
  },
  {
    repository: 'docker.io/library/rabbitmq',
    tags: ['latest', '4', '3', '3-management', 'management'],
    sizeBytes: 96_117_208,
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['rabbitmq-server'],
    servers: { 'rabbitmq-server': { ports: [5672, 15672], httpPorts: [15672], startLog: ['  Starting broker... completed with 3 plugins.'], memoryBytes: 120 * MiB, stopsOnSigterm: true } },
  },
  { repository: 'docker.io/library/hello-world', tags: ['latest', 'linux'], sizeBytes: 3_208, cmd: ['/hello'], noShell: true, printsAndExits: ['', 'Hello from Docker!', 'This message shows that your installation appears to be working correctly.', ''] },
  {
    repository: 'docker.io/polinux/stress',
    tags: ['latest', '1.0.4'],
    sizeBytes: 4_210_183,
    entrypoint: [],
    cmd: ['stress', '--help'],
  },
  {
    repository: 'docker.io/curlimages/curl',
    tags: ['latest', '8.11.1', '8.10.1'],
    sizeBytes: 10_952_361,
    entrypoint: ['/entrypoint.sh'],
    cmd: ['curl'],
  },
  {
    repository: 'registry.k8s.io/pause',
    tags: ['3.10', '3.9', '3.8', 'latest'],
    sizeBytes: 320_368,
    entrypoint: ['/pause'],
    noShell: true,
    servers: { pause: { ports: [], startLog: [], memoryBytes: 256 * 1024, stopsOnSigterm: true } },
  },
  {
    repository: 'registry.k8s.io/e2e-test-images/agnhost',
    tags: ['2.52', '2.53', '2.39'],
    sizeBytes: 51_165_382,
    entrypoint: ['/agnhost'],
    cmd: ['pause'],
    servers: { agnhost: { ports: [8080], httpPorts: [8080], startLog: [], memoryBytes: 8 * MiB, stopsOnSigterm: true } },
  },
];

const byRepository = new Map(IMAGE_CATALOG.map((image) => [image.repository, image]));

export function catalogImage(repository: string): CatalogImage | undefined {
  return byRepository.get(repository);
}
