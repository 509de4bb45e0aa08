// `npm run kube:test-server`: run a test API server in the foreground and print where its
// kubeconfigs are, for poking at it with kubectl or the app by hand.

import { startKubeTestServer } from './index.ts';

const withMetrics = process.argv.includes('--metrics');
const demo = !process.argv.includes('--empty');
const server = await startKubeTestServer({ metricsServer: withMetrics });
if (demo) {
  server.scenario({
    deployments: [
      { name: 'web', image: 'nginx:1.27', replicas: 3, requests: { cpu: '100m', memory: '64Mi' } },
      { name: 'api-crashloop', image: 'example/api:crash', replicas: 1 },
      { name: 'worker', image: 'example/worker-imagepull:1.0', replicas: 1 },
    ],
  });
}
// Write every kubeconfig before printing any path: a reader of the first line must not see
// a file that is rewritten afterwards.
const paths = new Map<string, string>();
for (const user of server.users) paths.set(user.name, await server.kubeconfigPath(user.name));
const admin = paths.get('admin') ?? (await server.kubeconfigPath('admin'));
process.stdout.write(`${admin}\n`);
process.stderr.write(`kube test server listening on ${server.url}\n`);
for (const [name, path] of paths) process.stderr.write(`  ${name.padEnd(12)} ${path}\n`);
process.stderr.write('Try: KUBECONFIG=' + admin + ' kubectl get pods -A   (Ctrl-C stops)\n');

const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
