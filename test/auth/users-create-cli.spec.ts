import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/config/config.loader.js';
import { startTestApp } from '../support/test-app.js';
import { backend, freshBackend, type TestBackend } from '../support/test-env.js';

const run = promisify(execFile);

async function usersCreate(tb: TestBackend, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(projectRoot(), 'dist', 'src', 'auth', 'users-create.cli.js'), ...args], {
      env: { PATH: process.env.PATH, ...tb.env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe(`npm run users:create (${backend.label})`, () => {
  let tb: TestBackend;
  beforeAll(async () => {
    tb = await freshBackend();
  });
  afterAll(async () => tb?.dispose());

  it('creates the first operator on an empty database and prints a token that the API accepts', async () => {
    const r = await usersCreate(tb, ['--name', '王芳', '--roles', 'operator,lead', '--agent', 'kf01']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const token = /kfb_[A-Za-z0-9_-]{43}/.exec(r.stdout)?.[0];
    expect(token).toBeDefined();
    const t = await startTestApp({ backend: tb, env: { KEFU_SCHEDULER: 'off' } });
    try {
      const me = await fetch(`${t.url}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ name: '王芳', roles: ['operator', 'lead'], agentId: 'kf01', shopIds: null });
      expect((await fetch(`${t.url}/api/users`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('refuses bad arguments naming what is wrong, without printing a token', async () => {
    const bad = await usersCreate(tb, ['--name', 'x', '--roles', 'boss']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('roles');
    expect(bad.stdout).not.toMatch(/kfb_/);
    const noName = await usersCreate(tb, ['--roles', 'operator']);
    expect(noName.code).toBe(1);
    expect(noName.stderr).toContain('name');
  });
});
