import { describe, expectTypeOf, it } from 'vitest';
import type { KiopsClient } from '../../shared/contract/client.ts';
import type { CallInput, CallName, CallOutput, StreamEvent, StreamName } from '../../shared/contract/index.ts';
import type { AppInfo } from '../../shared/contract/app.ts';
import type { AuditRowView } from '../../shared/contract/audit.ts';
import type { CallHandlers } from '../../electron/main/ipc/router.ts';

describe('contract types', () => {
  it('derives call and stream names from the one declaration', () => {
    expectTypeOf<'app.info'>().toExtend<CallName>();
    expectTypeOf<'audit.appended'>().toExtend<StreamName>();
    expectTypeOf<'audit.appended'>().not.toExtend<CallName>();
    expectTypeOf<'shell.exec'>().not.toExtend<CallName>();
  });

  it('types the client from the contract', () => {
    const client = {} as KiopsClient;
    expectTypeOf(client.call<'app.info'>).returns.resolves.toEqualTypeOf<AppInfo>();
    expectTypeOf(client.call<'audit.list'>).parameter(1).toEqualTypeOf<CallInput<'audit.list'>>();
    // never called: these lines only have to fail to compile
    const misuse = () => {
      // @ts-expect-error an undeclared call does not compile
      void client.call('shell.exec', {});
      // @ts-expect-error a wrong input shape does not compile
      void client.call('audit.list', { limit: 'ten' });
      // @ts-expect-error a stream is not callable as a call
      void client.call('audit.appended', {});
    };
    expectTypeOf(misuse).toBeFunction();
    expectTypeOf<CallOutput<'app.info'>>().toEqualTypeOf<AppInfo>();
    expectTypeOf<CallInput<'audit.list'>>().toExtend<{ limit?: number | undefined }>();
    expectTypeOf<StreamEvent<'audit.appended'>>().toEqualTypeOf<AuditRowView>();
  });

  it('gives handlers the parsed input, with defaults applied', () => {
    type ListHandler = CallHandlers['audit.list'];
    expectTypeOf<Parameters<ListHandler>[0]['limit']>().toEqualTypeOf<number>();
  });

  it('lets no any cross the boundary', () => {
    expectTypeOf<CallOutput<'audit.list'>>().not.toBeAny();
    expectTypeOf<CallInput<'audit.list'>>().not.toBeAny();
    expectTypeOf<StreamEvent<'audit.appended'>>().not.toBeAny();
  });
});
