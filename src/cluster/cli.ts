/**
 * The standalone server (DESIGN.md, "Standalone server"): the same cluster the extension runs,
 * without VS Code, for kubectl, client libraries and the e2e tests.
 *
 *   node dist/cli.js serve [--port N] [--data-dir DIR] [--nodes N] [--node SPEC]… [--kubeconfig FILE] [--speed X] [--etcd-servers URLS]
 */
import { resolve } from 'node:path';
import { Cluster } from './cluster';
import { runExplain } from '../schema/explain/cli';
import { workerNodes } from './kubelet/nodes';
import { NodeSpecError, parseNodeSpec } from './kubelet/node-spec';
import type { NodeConfig } from './kubelet/node-status';

const USAGE = `Usage: kube-sim serve [options]

Runs a simulated Kubernetes 1.32 cluster and serves its API over HTTPS on 127.0.0.1.

Options:
  --port N             port on 127.0.0.1 (default 0: a free port)
  --data-dir DIR       where the store, certificates and tokens are kept (default: ./.kube-sim)
  --nodes N            worker nodes node-1 … node-N (default 3; 0 with --node for only those)
  --node SPEC          one more node, repeatable: NAME[,cpu=Q][,memory=Q][,pods=N][,zone=Z]
                       [,region=R][,label=KEY=VALUE]…[,taint=KEY[=VALUE]:EFFECT]…
                       e.g. --node gpu-1,cpu=8,memory=32Gi,zone=eu-west-1a,taint=gpu=true:NoSchedule
  --kubeconfig FILE    where to write the kubeconfig (default: <data-dir>/kubeconfig)
  --speed X            cluster clock speed: 1 is real time, 10 ten times faster (default 1)
  --etcd-servers URLS  not supported yet: the embedded store is the only backend
  -h, --help           show this help

The kubeconfig has two contexts: kube-sim (admin, current) and kube-sim-viewer (read-only).
Stop a node's kubelet: kubectl label node NAME fault.kube-sim.io/kubelet=stopped
(remove the label to start it again).
`;

interface ServeArgs {
  port: number;
  dataDir: string;
  nodes: number;
  extraNodes: NodeConfig[];
  kubeconfig: string | undefined;
  speed: number;
  etcdServers: string | undefined;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): ServeArgs {
  const args: ServeArgs = { port: 0, dataDir: '.kube-sim', nodes: 3, extraNodes: [], kubeconfig: undefined, speed: 1, etcdServers: undefined };
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i]!;
    let value: string | undefined;
    const eq = flag.indexOf('=');
    if (flag.startsWith('--') && eq > 0) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    const next = (): string => {
      if (value !== undefined) return value;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const int = (v: string, min: number, max: number): number => {
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${v}"`);
      return Number(v);
    };
    switch (flag) {
      case '--port': args.port = int(next(), 0, 65535); break;
      case '--data-dir': args.dataDir = next(); break;
      case '--nodes': args.nodes = int(next(), 0, 5000); break;
      case '--node':
        try {
          args.extraNodes.push(parseNodeSpec(next()));
        } catch (err) {
          throw err instanceof NodeSpecError ? new UsageError(`--node: ${err.message}`) : err;
        }
        break;
      case '--kubeconfig': args.kubeconfig = next(); break;
      case '--speed': {
        const v = next();
        const n = Number(v);
        if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--speed must be a number greater than 0, got "${v}"`);
        args.speed = n;
        break;
      }
      case '--etcd-servers': args.etcdServers = next(); break;
      default: throw new UsageError(`unknown option ${flag}`);
    }
  }
  return args;
}

async function serve(argv: string[]): Promise<number> {
  let args: ServeArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`kube-sim: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  const names = [...workerNodes(args.nodes), ...args.extraNodes].map((n) => n.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) {
    process.stderr.write(`kube-sim: --node: node "${twice}" is named twice (--nodes ${args.nodes} already makes node-1 … node-${args.nodes})\n\n${USAGE}`);
    return 2;
  }
  if (args.etcdServers !== undefined) {
    process.stderr.write('kube-sim: --etcd-servers is not supported yet: Kube Sim can only use its embedded store for now.\n');
    return 2;
  }
  const cluster = await Cluster.start({
    port: args.port,
    dataDir: resolve(args.dataDir),
    nodeConfigs: [...workerNodes(args.nodes), ...args.extraNodes],
    speed: args.speed,
    kubeconfigPath: resolve(args.kubeconfig ?? `${args.dataDir}/kubeconfig`),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  // A bug in one component must not take the whole cluster (and every client's connection) down:
  // report it and keep serving. Requests themselves never get here (the pipeline answers 500).
  process.on('uncaughtException', (err) => process.stderr.write(`kube-sim: uncaught error: ${err.stack ?? err.message}\n`));
  process.on('unhandledRejection', (err) => process.stderr.write(`kube-sim: unhandled rejection: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`));
  process.stdout.write(`Kube Sim API server listening on ${cluster.url}\n`);
  return new Promise((resolveExit) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`kube-sim: ${signal}: stopping\n`);
      cluster.stop().then(() => resolveExit(0), (err: unknown) => {
        process.stderr.write(`kube-sim: stop failed: ${String(err)}\n`);
        resolveExit(1);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === 'serve') {
    if (rest.includes('-h') || rest.includes('--help')) {
      process.stdout.write(USAGE);
      return 0;
    }
    return serve(rest);
  }
  if (command === 'explain') return runExplain(rest);
  process.stderr.write(`kube-sim: unknown command "${command}"\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // A failed start (data directory in use, port taken) is a sentence, not a stack; KUBE_SIM_DEBUG=1 shows the stack.
    const detail = err instanceof Error ? (process.env.KUBE_SIM_DEBUG ? err.stack ?? err.message : err.message) : String(err);
    process.stderr.write(`kube-sim: ${detail}\n`);
    process.exit(1);
  },
);
