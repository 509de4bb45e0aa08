import { Health, type KubeConfig } from '@kubernetes/client-node';
import { DeadlineKubeConfig } from '../../connections/request-deadlines.ts';

/**
 * True when the API server answers /livez within `timeoutMs`, over a new request through the
 * same route (proxy, SOCKS over SSH) the watch uses. A frozen link accepts the connection and
 * then says nothing, so only an answer counts; any HTTP status means the server is there. No
 * answer retires the environment's connections: the next request dials anew.
 */
export async function apiServerAnswers(kubeConfig: KubeConfig, timeoutMs: number): Promise<boolean> {
  try {
    await new Health(kubeConfig).livez({ signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    if (kubeConfig instanceof DeadlineKubeConfig) kubeConfig.linkFailed();
    return false;
  }
}
