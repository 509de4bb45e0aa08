import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rules live in eslint.config.js; this proves they bite on the real config.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import layering', () => {
  it('keeps the main process out of the renderer', async () => {
    const messages = await restrictedImports('renderer/src/pages/x.ts', "import { createRouter } from '../../../electron/main/ipc/router.ts';\nexport const r = createRouter;\n");
    expect(messages.join()).toContain('must not import the main process');
  });

  it('keeps Node out of the renderer', async () => {
    const messages = await restrictedImports('renderer/src/x.ts', "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n");
    expect(messages.join()).toContain('The renderer has no Node');
  });

  it('keeps shared/ free of electron/ and renderer/', async () => {
    const messages = await restrictedImports('shared/x.ts', "import { a } from '../electron/main/a.ts';\nimport { b } from '../renderer/src/b.ts';\nexport const r = [a, b];\n");
    expect(messages).toHaveLength(2);
  });

  it('lets only the Electron shell import electron', async () => {
    expect(await restrictedImports('electron/main/services/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await restrictedImports('electron/main/index.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(0);
  });
});
