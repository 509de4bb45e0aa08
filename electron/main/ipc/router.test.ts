import { describe, expect, it } from 'vitest';
import { callNames, contract, streamNames, type CallName, type StreamName } from '../../../shared/contract/index.ts';
import { ApiError, createClient } from '../../../shared/contract/client.ts';
import { AppError } from '../../../shared/errors.ts';
import { createMemoryTransport } from './memory-transport.ts';
import { createRouter, type CallHandlers, type Sender, type StreamHandlers } from './router.ts';
import { SenderPolicy } from './sender-policy.ts';

const trusted: Sender = { transport: 'memory', origin: 'test' };
const silentLogger = { error: () => {}, warn: () => {} };

/** Handlers that only record that they ran: the router must stop bad requests before them. */
function recordingHandlers() {
  const ran: string[] = [];
  const calls = Object.fromEntries(
    callNames.map((name) => [name, () => { ran.push(name); throw new AppError('INTERNAL', 'should not run'); }]),
  ) as unknown as CallHandlers;
  const streams = Object.fromEntries(
    streamNames.map((name) => [name, async () => { ran.push(name); }]),
  ) as unknown as StreamHandlers;
  return { ran, calls, streams };
}

function routerWith(calls: CallHandlers, streams: StreamHandlers, policy = new SenderPolicy()) {
  policy.allow((sender) => sender.transport === 'memory' && sender.origin === 'test');
  return createRouter({ calls, streams, isTrustedSender: (s) => policy.isTrusted(s), logger: silentLogger });
}

const malformedPayloads: unknown[] = [null, 42, 'audit', [], { unexpectedField: true }];

describe('router', () => {
  it.each(callNames)('rejects malformed payloads for %s before any service runs', async (name) => {
    const { ran, calls, streams } = recordingHandlers();
    const router = routerWith(calls, streams);
    for (const payload of malformedPayloads) {
      const reply = await router.invoke(name, payload, trusted);
      expect(reply.ok).toBe(false);
      if (!reply.ok) {
        expect(reply.error.code).toBe('INVALID_INPUT');
        expect(reply.error.message).toContain(`"${name}" was malformed`);
      }
    }
    expect(ran).toEqual([]);
  });

  it.each(streamNames)('rejects malformed payloads for stream %s before any service runs', async (name) => {
    const { ran, calls, streams } = recordingHandlers();
    const router = routerWith(calls, streams);
    for (const payload of malformedPayloads) {
      const ends: unknown[] = [];
      router.subscribe(name, payload, trusted, { event: () => {}, end: (end) => ends.push(end) });
      expect(ends).toEqual([{ reason: 'error', error: expect.objectContaining({ code: 'INVALID_INPUT' }) }]);
    }
    expect(ran).toEqual([]);
  });

  it('refuses unknown calls and names that are streams, not calls', async () => {
    const { ran, calls, streams } = recordingHandlers();
    const router = routerWith(calls, streams);
    for (const name of ['shell.exec', '__proto__', 'constructor', 42, streamNames[0]]) {
      const reply = await router.invoke(name, {}, trusted);
      expect(reply).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    }
    expect(ran).toEqual([]);
  });

  it('refuses an untrusted sender before parsing anything', async () => {
    const { ran, calls, streams } = recordingHandlers();
    const router = routerWith(calls, streams);
    const reply = await router.invoke('app.info', {}, { transport: 'browser', origin: 'https://evil.example' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    expect(ran).toEqual([]);
  });

  it('keeps an AppError code, message and details across the wire, hides unexpected errors', async () => {
    const { calls, streams } = recordingHandlers();
    calls['audit.verify'] = () => {
      throw new AppError('KEYCHAIN_UNAVAILABLE', 'No OS keychain is running.', { hint: 'start gnome-keyring' });
    };
    calls['app.info'] = () => {
      throw new Error('ENOENT /home/op/.kube/config token=s3cr3t');
    };
    const client = createClient(createMemoryTransport(routerWith(calls, streams), trusted));
    const known = await client.call('audit.verify', {}).catch((error: unknown) => error);
    expect(known).toBeInstanceOf(ApiError);
    expect(known).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', message: 'No OS keychain is running.', details: { hint: 'start gnome-keyring' } });
    const unexpected = await client.call('app.info', {}).catch((error: unknown) => error);
    expect(unexpected).toMatchObject({ code: 'INTERNAL' });
    expect((unexpected as Error).message).not.toContain('s3cr3t');
  });

  it('strips fields a service returns that the contract does not declare', async () => {
    const { calls, streams } = recordingHandlers();
    calls['app.info'] = () => ({
      name: 'KIOPS Desktop', version: '1', shell: 'browser', platform: 'linux',
      keychain: { available: true }, audit: { available: true }, secretStore: { kind: 'keychain', vault: 'absent' },
      privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----',
    }) as never;
    const client = createClient(createMemoryTransport(routerWith(calls, streams), trusted));
    const info = await client.call('app.info', {});
    expect(JSON.stringify(info)).not.toContain('PRIVATE KEY');
  });

  it('answers INTERNAL when a service returns something outside its contract', async () => {
    const { calls, streams } = recordingHandlers();
    calls['audit.verify'] = () => ({ ok: 'yes' }) as never;
    const router = routerWith(calls, streams);
    expect(await router.invoke('audit.verify', {}, trusted)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('applies input defaults before the service sees the input', async () => {
    const { calls, streams } = recordingHandlers();
    let seen: unknown;
    calls['audit.list'] = (input) => { seen = input; return { rows: [], hasMore: false }; };
    const client = createClient(createMemoryTransport(routerWith(calls, streams), trusted));
    await client.call('audit.list', {});
    expect(seen).toEqual({ limit: 100 });
  });
});

describe('streams', () => {
  const row = { seq: 1, at: '2026-01-01T00:00:00Z', actor: 'op', action: 'pod.delete', target: 'ns/p', outcome: 'success', details: {}, prevHash: 'g', hash: 'h' };

  it('delivers events, and cancel aborts the service and ends the stream once', async () => {
    const { calls, streams } = recordingHandlers();
    let aborted = false;
    streams['audit.appended'] = (_input, context) =>
      new Promise<void>((resolve) => {
        context.emit(row as never);
        context.signal.addEventListener('abort', () => { aborted = true; resolve(); });
      });
    const client = createClient(createMemoryTransport(routerWith(calls, streams), trusted));
    const events: unknown[] = [];
    const ends: unknown[] = [];
    const cancel = client.subscribe('audit.appended', {}, { event: (e) => events.push(e), end: (e) => ends.push(e) });
    await new Promise((resolve) => setTimeout(resolve, 10));
    cancel();
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual([row]);
    expect(aborted).toBe(true);
    expect(ends).toEqual([{ reason: 'cancelled' }]);
  });

  it('ends with the error envelope when the service fails', async () => {
    const { calls, streams } = recordingHandlers();
    streams['audit.appended'] = async () => { throw new AppError('AUDIT_UNAVAILABLE', 'The audit trail is unavailable.'); };
    const ends: unknown[] = [];
    routerWith(calls, streams).subscribe('audit.appended', {}, trusted, { event: () => {}, end: (e) => ends.push(e) });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ends).toEqual([{ reason: 'error', error: { code: 'AUDIT_UNAVAILABLE', message: 'The audit trail is unavailable.' } }]);
  });
});

describe('contract', () => {
  it('declares every entry with zod schemas and a dotted domain name', () => {
    for (const [name, spec] of Object.entries(contract)) {
      expect(name).toMatch(/^[a-z][a-zA-Z]*(\.[a-zA-Z]+)+$/);
      expect(spec.input.safeParse).toBeTypeOf('function');
    }
    expect(new Set<CallName | StreamName>([...callNames, ...streamNames]).size).toBe(Object.keys(contract).length);
  });
});
