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
const admin = await server.kubeconfigPath('admin');
process.stdout.write(`${admin}\n`);
process.stderr.write(`kube test server listening on ${server.url}\n`);
for (const user of server.users) process.stderr.write(`  ${user.name.padEnd(12)} ${await server.kubeconfigPath(user.name)}\n`);
process.stderr.write('Try: KUBECONFIG=' + admin + ' kubectl get pods -A   (Ctrl-C stops)\n');

const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
