import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveContainerConfig, type ConfigSource } from '../../../../src/cluster/kubelet/container-config';
import { catalogImage } from '../../../../src/cluster/kubelet/runtime/catalog';
import { startProcess } from '../../../../src/cluster/kubelet/runtime/interpreter';
import { processEnv } from '../../../../src/cluster/kubelet/runtime/env';
import type { Pod } from '../../../../src/cluster/api/types';

const none: ConfigSource = { configMap: async () => undefined, secret: async () => undefined };
const pod = (name: string, container: Record<string, unknown>): Pod => ({ metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', ...container }] } }) as unknown as Pod;

/** What `env` prints in a container of `name` started with `config`. */
function printed(name: string, env: Readonly<Record<string, string>>): string[] {
  const image = catalogImage('docker.io/library/nginx')!;
  const started = startProcess(['env'], { image, env, files: new Map(), hostname: name, now: () => 0 });
  assert.ok(!('error' in started));
  const out: string[] = [];
  for (let step = started.process.next(); !step.done; step = started.process.next()) if (step.value.type === 'out') out.push(step.value.text);
  return out;
}

test('containers with no env of their own share the image environment, each with its own HOSTNAME in its place', async () => {
  const imageEnv = catalogImage('docker.io/library/nginx')!.env!;
  const a = await resolveContainerConfig(pod('web-a', { image: 'nginx' }), { name: 'c', image: 'nginx' }, imageEnv, none);
  const b = await resolveContainerConfig(pod('web-b', { image: 'nginx' }), { name: 'c', image: 'nginx' }, imageEnv, none);
  assert.ok(a.ok && b.ok);
  assert.equal(a.env, b.env, 'one object for both');
  const expected = (name: string) => ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NGINX_VERSION=1.27.3', `HOSTNAME=${name}`,
    'KUBERNETES_SERVICE_HOST=10.96.0.1', 'KUBERNETES_SERVICE_PORT=443', 'KUBERNETES_SERVICE_PORT_HTTPS=443', 'KUBERNETES_PORT=tcp://10.96.0.1:443',
    'KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443', 'KUBERNETES_PORT_443_TCP_PROTO=tcp', 'KUBERNETES_PORT_443_TCP_PORT=443', 'KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1'];
  assert.deepEqual(printed('web-a', a.env), expected('web-a'));
  assert.deepEqual(printed('web-b', b.env), expected('web-b'));
  assert.equal(processEnv(a.env, 'web-a').HOSTNAME, 'web-a');
  // A container with env of its own has its own object, HOSTNAME written in.
  const c = await resolveContainerConfig(pod('web-c', {}), { name: 'c', image: 'nginx', env: [{ name: 'X', value: '$(HOSTNAME)-x' }] }, imageEnv, none);
  assert.ok(c.ok);
  assert.notEqual(c.env, a.env);
  assert.equal(c.env.HOSTNAME, 'web-c');
  assert.equal(c.env.X, 'web-c-x');
});

test("a container with no env of its own still expands $(HOSTNAME) in its command and sees its own $HOSTNAME", async () => {
  const { FakeHost, makePod } = await import('./fake-host');
  const host = new FakeHost();
  const worker = host.worker(makePod({ containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'echo $(HOSTNAME) $HOSTNAME $(KUBERNETES_SERVICE_PORT); sleep 3600'] }] }, { name: 'web-7' }));
  await host.clock.advance(10_000);
  assert.deepEqual(worker.log('c', false).lines().map((l) => l.text), ['web-7 web-7 443']);
});
