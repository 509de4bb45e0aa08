import { describe, expect, it } from 'vitest';
import type { BlockRule, CommandMode } from './command-decision.ts';
import { decideKubectl } from './kubectl-policy.ts';
import { tokenizeCommandLine } from './tokenize.ts';

const target = { namespace: 'shop', kubeconfigPath: '/run/kiops/kc-123.yaml' };
const tail = ['--namespace=shop', '--kubeconfig=<kubeconfig>'];

function decide(line: string, mode: CommandMode = 'one-shot', production = false, confirmation?: string) {
  const tokens = tokenizeCommandLine(line);
  if (!tokens.ok) return tokens.refusal;
  return decideKubectl({ argv: tokens.argv, mode, target, production, ...(confirmation === undefined ? {} : { confirmation }) });
}

// Each typed command and the exact argv that will run (with the kubeconfig shown as a placeholder).
const allowed: [string, string[], ('logs' | 'events' | 'other')?][] = [
  ['kubectl get pods', ['kubectl', 'get', 'pods', ...tail]],
  ['kubectl get po', ['kubectl', 'get', 'pods', ...tail]],
  ['kubectl get pod web-1', ['kubectl', 'get', 'pods/web-1', ...tail]],
  ['kubectl get pods web-1 web-2', ['kubectl', 'get', 'pods/web-1', 'pods/web-2', ...tail]],
  ['kubectl get pod/web-1', ['kubectl', 'get', 'pods/web-1', ...tail]],
  ['kubectl get po/web-1 deploy/api', ['kubectl', 'get', 'pods/web-1', 'deployments/api', ...tail]],
  ['kubectl get deployments.apps api', ['kubectl', 'get', 'deployments/api', ...tail]],
  ['kubectl get deployment.v1.apps/api', ['kubectl', 'get', 'deployments/api', ...tail]],
  ['kubectl get pods,svc', ['kubectl', 'get', 'pods,services', ...tail]],
  ['kubectl get all', ['kubectl', 'get', 'all', ...tail]],
  ['kubectl get pods -o wide', ['kubectl', 'get', 'pods', '--output=wide', ...tail]],
  ['kubectl get pods -owide', ['kubectl', 'get', 'pods', '--output=wide', ...tail]],
  ['kubectl get pods --output=yaml', ['kubectl', 'get', 'pods', '--output=yaml', ...tail]],
  ['kubectl get pods -o json -o yaml', ['kubectl', 'get', 'pods', '--output=yaml', ...tail]],
  ["kubectl get pods -o 'jsonpath={.items[*].metadata.name}'", ['kubectl', 'get', 'pods', '--output=jsonpath={.items[*].metadata.name}', ...tail]],
  ['kubectl get pods -l app=web --show-labels', ['kubectl', 'get', 'pods', '--selector=app=web', '--show-labels', ...tail]],
  ['kubectl get pods --show_labels=true', ['kubectl', 'get', 'pods', '--show-labels', ...tail]],
  ['kubectl get pods --no-headers=0', ['kubectl', 'get', 'pods', '--no-headers=false', ...tail]],
  ['kubectl get pods -L app -L tier', ['kubectl', 'get', 'pods', '--label-columns=app', '--label-columns=tier', ...tail]],
  ['kubectl --request-timeout 5s get pods', ['kubectl', 'get', 'pods', '--request-timeout=5s', ...tail]],
  ['kubectl get pods -- ', ['kubectl', 'get', 'pods', ...tail]],
  ['kubectl get events', ['kubectl', 'get', 'events', ...tail], 'events'],
  ['kubectl get ev', ['kubectl', 'get', 'events', ...tail], 'events'],
  ['kubectl describe deploy api', ['kubectl', 'describe', 'deployments/api', ...tail]],
  ['kubectl describe pods', ['kubectl', 'describe', 'pods', ...tail]],
  ['kubectl logs web-1', ['kubectl', 'logs', 'web-1', ...tail], 'logs'],
  ['kubectl logs web-1 app', ['kubectl', 'logs', 'web-1', '--container=app', ...tail], 'logs'],
  ['kubectl logs web-1 -c app --tail 100 --timestamps', ['kubectl', 'logs', 'web-1', '--container=app', '--tail=100', '--timestamps', ...tail], 'logs'],
  ['kubectl logs deploy/api --since=1h', ['kubectl', 'logs', 'deployments/api', '--since=1h', ...tail], 'logs'],
  ['kubectl logs -l app=web --prefix', ['kubectl', 'logs', '--selector=app=web', '--prefix', ...tail], 'logs'],
  ['kubectl logs web-1 -p', ['kubectl', 'logs', 'web-1', '--previous', ...tail], 'logs'],
  ['kubectl logs web-1 --follow=false', ['kubectl', 'logs', 'web-1', '--follow=false', ...tail], 'logs'],
  ['kubectl events', ['kubectl', 'events', ...tail], 'events'],
  ['kubectl events --for pod/web-1 --types=Warning', ['kubectl', 'events', '--for=pod/web-1', '--types=Warning', ...tail], 'events'],
  ['kubectl top pod', ['kubectl', 'top', 'pod', ...tail]],
  ['kubectl top pods web-1 --containers', ['kubectl', 'top', 'pod', 'web-1', '--containers', ...tail]],
  ['kubectl explain deployment.spec.replicas', ['kubectl', 'explain', 'deployment.spec.replicas', ...tail]],
  ['kubectl api-resources --namespaced=true -o name', ['kubectl', 'api-resources', '--namespaced', '--output=name', ...tail]],
  ['kubectl api-versions', ['kubectl', 'api-versions', ...tail]],
  ['kubectl version --client -o json', ['kubectl', 'version', '--client', '--output=json', ...tail]],
  ['kubectl rollout status deploy/api', ['kubectl', 'rollout', 'status', 'deployments/api', ...tail]],
  ['kubectl rollout status deployment api --timeout=20s', ['kubectl', 'rollout', 'status', 'deployments/api', '--timeout=20s', ...tail]],
  ['kubectl rollout history deploy/api --revision 3', ['kubectl', 'rollout', 'history', 'deployments/api', '--revision=3', ...tail]],
  ['kubectl rollout undo deploy/api --to-revision=2', ['kubectl', 'rollout', 'undo', 'deployments/api', '--to-revision=2', ...tail]],
  ['kubectl rollout restart sts/db', ['kubectl', 'rollout', 'restart', 'statefulsets/db', ...tail]],
  ['kubectl scale deploy/api --replicas 3', ['kubectl', 'scale', 'deployments/api', '--replicas=3', ...tail]],
  ['kubectl scale --replicas=2 deployment api', ['kubectl', 'scale', 'deployments/api', '--replicas=2', ...tail]],
  ['kubectl set image deploy/api api=registry.local/api:1.2', ['kubectl', 'set', 'image', 'deployments/api', 'api=registry.local/api:1.2', ...tail]],
  ['kubectl exec web-1 -- ls -la /app', ['kubectl', 'exec', 'web-1', ...tail, '--', 'ls', '-la', '/app']],
  ['kubectl exec web-1 -c app -- ps aux', ['kubectl', 'exec', 'web-1', '--container=app', ...tail, '--', 'ps', 'aux']],
  ['kubectl exec deploy/api -- env', ['kubectl', 'exec', 'deployments/api', ...tail, '--', 'env']],
  ["kubectl exec web-1 -- sh -c 'echo $HOME | wc -c'", ['kubectl', 'exec', 'web-1', ...tail, '--', 'sh', '-c', 'echo $HOME | wc -c']],
  ['kubectl exec web-1 --stdin=false --tty=0 -- ls', ['kubectl', 'exec', 'web-1', ...tail, '--', 'ls']],
  ['kubectl exec -i=false web-1 -- ls', ['kubectl', 'exec', 'web-1', ...tail, '--', 'ls']],
  ['kubectl delete pod web-1', ['kubectl', 'delete', 'pods/web-1', ...tail]],
  ['kubectl delete pods -l app=web --wait=false', ['kubectl', 'delete', 'pods', '--selector=app=web', '--wait=false', ...tail]],
  ['kubectl label pod web-1 tier=front --overwrite', ['kubectl', 'label', 'pods/web-1', 'tier=front', '--overwrite', ...tail]],
  ['kubectl annotate deploy/api note- ', ['kubectl', 'annotate', 'deployments/api', 'note-', ...tail]],
  ['kubectl auth can-i delete pods', ['kubectl', 'auth', 'can-i', 'delete', 'pods', ...tail]],
  ['kubectl auth can-i --list', ['kubectl', 'auth', 'can-i', '--list', ...tail]],
  ['kubectl get pods "-l" "app=my web"', ['kubectl', 'get', 'pods', '--selector=app=my web', ...tail]],
];

describe('kubectl policy: allowed commands become this exact argv', () => {
  it.each(allowed)('%s', (line, argv, kind = 'other') => {
    const decision = decide(line);
    expect(decision).toMatchObject({ decision: 'allow', auditArgv: argv, kind });
  });

  it('injects the real kubeconfig path only into the argv that runs', () => {
    const decision = decide('kubectl get pods');
    expect(decision).toMatchObject({ decision: 'allow', argv: ['kubectl', 'get', 'pods', '--namespace=shop', '--kubeconfig=/run/kiops/kc-123.yaml'] });
  });
});

// Each spelling and the rule its refusal must name.
const blocked: [string, BlockRule][] = [
  ['kubectl get pods -A', 'all-namespaces'],
  ['kubectl get pods --all-namespaces', 'all-namespaces'],
  ['kubectl get pods --all_namespaces=true', 'all-namespaces'],
  ['kubectl get pods --all-namespaces=1', 'all-namespaces'],
  ['kubectl get pods -oA', 'invalid-flag-value'],
  ['kubectl -A get pods', 'all-namespaces'],
  ['kubectl get pods -lA=b -A', 'all-namespaces'],
  ['kubectl events -A', 'all-namespaces'],
  ['kubectl top pod -A', 'all-namespaces'],
  ['kubectl auth can-i get pods -A', 'all-namespaces'],
  ['kubectl get pods -n=x', 'namespace-override'],
  ['kubectl get pods -nx', 'namespace-override'],
  ['kubectl get pods -nkube-system', 'namespace-override'],
  ['kubectl get pods --namespace x', 'namespace-override'],
  ['kubectl get pods --namespace=x', 'namespace-override'],
  ['kubectl get pods --namespace=', 'namespace-override'],
  ['kubectl -n x get pods', 'namespace-override'],
  ['kubectl get pods -namespace=x', 'namespace-override'],
  ['kubectl exec web-1 -n x -- ls', 'namespace-override'],
  ['kubectl get pods --kubeconfig=/tmp/k', 'credential-override'],
  ['kubectl --kubeconfig /tmp/k get pods', 'credential-override'],
  ['kubectl get pods --context x', 'connection-override'],
  ['kubectl get pods --cluster=x', 'connection-override'],
  ['kubectl get pods --user=admin', 'credential-override'],
  ['kubectl get pods -s https://10.0.0.1:6443', 'connection-override'],
  ['kubectl get pods --server=https://10.0.0.1', 'connection-override'],
  ['kubectl -shttps://x get pods', 'connection-override'],
  ['kubectl get pods --token=abc', 'credential-override'],
  ['kubectl get pods --certificate-authority=/ca', 'credential-override'],
  ['kubectl get pods --client-key=/k', 'credential-override'],
  ['kubectl get pods --client_certificate=/c', 'credential-override'],
  ['kubectl get pods --insecure-skip-tls-verify', 'connection-override'],
  ['kubectl get pods --insecure_skip_tls_verify=true', 'connection-override'],
  ['kubectl get pods --tls-server-name=x', 'connection-override'],
  ['kubectl get pods --cache-dir=/tmp/c', 'local-files'],
  ['kubectl get pods --as=admin', 'impersonation'],
  ['kubectl get pods --as admin', 'impersonation'],
  ['kubectl get pods --as-group=system:masters', 'impersonation'],
  ['kubectl get pods --as_group system:masters', 'impersonation'],
  ['kubectl get pods --as-uid=0', 'impersonation'],
  ['kubectl get --raw /api', 'raw-api'],
  ['kubectl get --raw=/api/v1/secrets', 'raw-api'],
  ['kubectl proxy', 'raw-api'],
  ['kubectl proxy --port=8001', 'raw-api'],
  ['kubectl port-forward web-1 8080:80', 'port-forward'],
  ['kubectl port-forward svc/web 8080', 'port-forward'],
  ['kubectl attach web-1', 'attach'],
  ['kubectl attach -it web-1', 'attach'],
  ['kubectl exec -it web-1 -- sh', 'interactive'],
  ['kubectl exec -ti web-1 -- sh', 'interactive'],
  ['kubectl exec -i -t web-1 -- sh', 'interactive'],
  ['kubectl exec web-1 -it -- sh', 'interactive'],
  ['kubectl exec --stdin --tty web-1 -- sh', 'interactive'],
  ['kubectl exec --stdin=true --tty web-1 -- sh', 'interactive'],
  ['kubectl exec --tty=1 web-1 -- sh', 'interactive'],
  ['kubectl exec -qit web-1 -- sh', 'interactive'],
  ['kubectl exec -t=true web-1 -- sh', 'interactive'],
  ['kubectl exec -i web-1 -- sh', 'interactive'],
  ['kubectl edit deploy/api', 'interactive'],
  ['kubectl debug web-1', 'interactive'],
  ['kubectl logs -f web-1', 'follow-watch'],
  ['kubectl logs --follow web-1', 'follow-watch'],
  ['kubectl logs --follow=true web-1', 'follow-watch'],
  ['kubectl logs -pf web-1', 'follow-watch'],
  ['kubectl logs web-1 -f=1', 'follow-watch'],
  ['kubectl get pods -w', 'follow-watch'],
  ['kubectl get pods --watch', 'follow-watch'],
  ['kubectl get pods --watch-only', 'follow-watch'],
  ['kubectl get pods --watch_only=t', 'follow-watch'],
  ['kubectl events -w', 'follow-watch'],
  ['kubectl rollout status deploy/api -w', 'follow-watch'],
  ['kubectl foo', 'plugin'],
  ['kubectl foo bar', 'plugin'],
  ['kubectl-foo', 'plugin'],
  ['kubectl-foo get pods', 'plugin'],
  ['kubectl plugin list', 'plugin'],
  ['kubectl get pods | grep web', 'shell-syntax'],
  ['kubectl get pods > /tmp/out', 'shell-syntax'],
  ['kubectl get pods < /dev/null', 'shell-syntax'],
  ['kubectl get pods; rm -rf /', 'shell-syntax'],
  ['kubectl get pods && kubectl delete pods --all', 'shell-syntax'],
  ['kubectl get pods || true', 'shell-syntax'],
  ['kubectl get pods $(echo -A)', 'shell-syntax'],
  ['kubectl get pods `echo -A`', 'shell-syntax'],
  ['kubectl get pods\nkubectl get secrets', 'shell-syntax'],
  ['kubectl get pods\u0000-A', 'shell-syntax'],
  ['kubectl get pods \u001b[31m', 'shell-syntax'],
  ['kubectl get pods &', 'shell-syntax'],
  ['kubectl get pods web-*', 'shell-syntax'],
  ['kubectl get pods "$NS"', 'shell-syntax'],
  ["kubectl get pods 'unclosed", 'shell-syntax'],
  ['kubectl get secrets', 'secrets'],
  ['kubectl get secret/db-password -o yaml', 'secrets'],
  ['kubectl describe secrets', 'secrets'],
  ['kubectl get nodes', 'cluster-scoped'],
  ['kubectl get ns', 'cluster-scoped'],
  ['kubectl describe node/n1', 'cluster-scoped'],
  ['kubectl get clusterrolebindings', 'cluster-scoped'],
  ['kubectl top node', 'cluster-scoped'],
  ['kubectl drain n1', 'cluster-scoped'],
  ['kubectl cordon n1', 'cluster-scoped'],
  ['kubectl get widgets.example.com', 'resource-not-allowed'],
  ['kubectl delete deploy/api', 'resource-not-allowed'],
  ['kubectl scale pod/web-1 --replicas=2', 'resource-not-allowed'],
  ['kubectl get pods -f pod.yaml', 'local-files'],
  ['kubectl get -k ./overlay', 'local-files'],
  ['kubectl get pods -o jsonpath-file=/etc/passwd', 'local-files'],
  ['kubectl cp web-1:/etc/passwd ./passwd', 'local-files'],
  ['kubectl apply -f x.yaml', 'local-files'],
  ['kubectl exec web-1 -f pod.yaml -- ls', 'local-files'],
  ['kubectl config view --raw', 'credential-override'],
  ['kubectl run x --image=busybox', 'subcommand-not-allowed'],
  ['kubectl rollout foo deploy/api', 'subcommand-not-allowed'],
  ['kubectl delete pods --all', 'flag-not-allowed'],
  ['kubectl delete pod web-1 --force', 'flag-not-allowed'],
  ['kubectl get pods --bogus', 'flag-not-allowed'],
  ['kubectl -w get pods', 'flag-not-allowed'],
  ['kubectl -v=9 get pods', 'flag-not-allowed'],
  ['kubectl get pods --show-labels=maybe', 'invalid-flag-value'],
  ['kubectl get pods -l', 'invalid-flag-value'],
  ['kubectl exec web-1 ls', 'invalid-argument'],
  ['kubectl exec web-1 --', 'invalid-argument'],
  ['kubectl get', 'invalid-argument'],
  ['kubectl', 'invalid-argument'],
  ['kubectl scale deploy/api', 'invalid-argument'],
  ['kubectl get pods Web_1', 'invalid-argument'],
  ['kubectl delete pods', 'invalid-argument'],
  ['ls -la', 'wrong-program'],
  ['/usr/bin/kubectl get pods', 'wrong-program'],
  ['   ', 'empty-command'],
];

describe('kubectl policy: refusals name the rule', () => {
  it.each(blocked)('%j', (line, rule) => {
    const decision = decide(line);
    expect(decision).toMatchObject({ decision: 'block', rule });
    if (decision.decision === 'block') {
      expect(decision.message.length).toBeGreaterThan(10);
      expect(decision.hint.length).toBeGreaterThan(5);
    }
  });

  it('suggests the non-interactive form for exec -it', () => {
    expect(decide('kubectl exec -it web-1 -- sh')).toMatchObject({ hint: 'Run one command instead: kubectl exec POD -- CMD' });
  });
});

describe('kubectl policy: modes', () => {
  it.each([
    ['kubectl logs -f web-1', ['kubectl', 'logs', 'web-1', '--follow', ...tail]],
    ['kubectl get pods -w', ['kubectl', 'get', 'pods', '--watch', ...tail]],
    ['kubectl get pods --watch-only', ['kubectl', 'get', 'pods', '--watch-only', ...tail]],
    ['kubectl events --watch', ['kubectl', 'events', '--watch', ...tail]],
  ])('streaming allows %s', (line, argv) => {
    expect(decide(line, 'streaming')).toMatchObject({ decision: 'allow', auditArgv: argv });
  });

  it.each([
    ['kubectl exec -it web-1 -- sh', 'interactive'],
    ['kubectl port-forward web-1 80', 'port-forward'],
    ['kubectl attach web-1', 'attach'],
    ['kubectl get pods -A -w', 'all-namespaces'],
  ])('streaming still blocks %s', (line, rule) => {
    expect(decide(line, 'streaming')).toMatchObject({ decision: 'block', rule });
  });
});

describe('kubectl policy: production caution', () => {
  it.each([
    'kubectl delete pod web-1',
    'kubectl scale deploy/api --replicas=0',
    'kubectl scale deploy/api --replicas=3',
    'kubectl scale --replicas 2 deployment api',
    'kubectl rollout undo deploy/api',
    'kubectl rollout restart deploy/api',
    'kubectl set image deploy/api api=registry.local/api:2',
    'kubectl label pod web-1 tier=back',
  ])('asks to confirm %s, and allows it with the exact confirm text', (line) => {
    const first = decide(line, 'one-shot', true);
    expect(first.decision).toBe('needs-confirmation');
    if (first.decision !== 'needs-confirmation') return;
    expect(first.confirmText).toContain('--namespace=shop');
    expect(first.confirmText).not.toContain('kubeconfig');
    expect(decide(line, 'one-shot', true, first.confirmText)).toMatchObject({ decision: 'allow' });
    expect(decide(line, 'one-shot', true, `${first.confirmText} `)).toMatchObject({ decision: 'needs-confirmation' });
  });

  it('repeats the command canonically', () => {
    expect(decide('kubectl delete po web-1', 'one-shot', true)).toMatchObject({ confirmText: 'kubectl delete pods/web-1 --namespace=shop' });
  });

  it.each(['kubectl get pods', 'kubectl scale deploy/api --replicas=3 --dry-run=client', 'kubectl delete pod web-1 --dry-run=client', 'kubectl label pod web-1 --list', 'kubectl exec web-1 -- ls'])(
    'does not ask for %s',
    (line) => {
      expect(decide(line, 'one-shot', true)).toMatchObject({ decision: 'allow' });
    },
  );

  it('does not ask outside production', () => {
    expect(decide('kubectl delete pod web-1')).toMatchObject({ decision: 'allow' });
  });
});
