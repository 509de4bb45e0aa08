/** English troubleshooting explanations shown beside the symptom; part of `en.ts`. */
export const enTroubleshooting = {
  troubleshooting: {
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
