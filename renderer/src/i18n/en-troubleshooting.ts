/** English troubleshooting explanations shown beside the symptom; part of `en.ts`. */
export const enTroubleshooting = {
  troubleshooting: {
    metricsNotReady: {
      check: 'What to check: the metrics-server pod in kube-system is Running and Ready; its logs (kubelet certificate errors mean it needs --kubelet-insecure-tls or signed kubelet certificates); the APIService v1beta1.metrics.k8s.io is Available. Right after an install this takes up to a minute; if it stays so, Reinstall.',
    },
    logs: {
      'pod-gone': 'The pod is gone: it was deleted or replaced (a rollout, a restart, a scale-down, an eviction), and its logs went with it. Reload the targets and pick a current pod; to keep output past a pod, ship logs to a log store.',
      'container-gone': 'That container is no longer in the pod: the pod was recreated from a changed spec. Reload the targets and pick one of its current containers.',
      'no-previous': "There is no previous run to read: the container has not been restarted since the pod started. Turn off 'Previous container' to read the current run.",
      'not-started': 'The container has not started yet, so it has no output. Check the pod in the Pod List: its status and events say what it waits for (an image pull, a volume, scheduling).',
      permission: "Your user may not read logs here: reading them needs 'get' on pods/log in this namespace. Ask a cluster administrator for a Role granting it, or use a kubeconfig user that has it.",
    },
    crashLoop: {
      title: 'CrashLoopBackOff: the container keeps exiting',
      ended: 'Container {container} last ended with exit code {code} ({reason}) and has restarted {restarts} times; Kubernetes waits longer before each new start.',
      noReason: 'no reason given',
      oomWithLimit: 'It was OOMKilled: it used more memory than its limit of {limit}. Raise the memory limit in the Deployment, or find what makes the app use more memory.',
      oomNoLimit: 'It was OOMKilled: the node ran out of memory. Set a memory request and limit that fit the app, or give the node more memory.',
      fix: "The reason is usually in what the previous run printed before it exited: read the previous container's logs. Exit code 1 is an application error; 126 and 127 mean the command could not run or was not found.",
      previousLogs: "Previous container's logs",
    },
  },
};
