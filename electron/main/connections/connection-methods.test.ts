import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import { checkPreferences, choiceReason, methodsToTry, primaryFailure } from './connection-methods.ts';

const ssh = { host: 'bastion', port: 22, username: 'ops', identityId: 'id-1' };

describe('connection methods', () => {
  it('tries the registered priority for Auto and only the selected method otherwise', () => {
    expect(methodsToTry({ selected: 'auto', methods: ['vpn', 'ssh', 'direct'] })).toEqual(['vpn', 'ssh', 'direct']);
    expect(methodsToTry({ selected: 'ssh', methods: ['vpn', 'ssh'] })).toEqual(['ssh']);
  });

  it('refuses methods a target cannot use and missing SSH/VPN settings', () => {
    expect(() => checkPreferences('local-engine', { selected: 'auto', methods: ['ssh'], ssh })).toThrow(/cannot be reached with Direct SSH/);
    expect(() => checkPreferences('remote-engine', { selected: 'auto', methods: ['direct'], ssh })).toThrow(/cannot be reached with Direct/);
    expect(() => checkPreferences('kubernetes', { selected: 'auto', methods: ['ssh'] })).toThrow(/needs an SSH host/);
    expect(() => checkPreferences('kubernetes', { selected: 'auto', methods: ['vpn'] })).toThrow(/VPN profile/);
    expect(() => checkPreferences('kubernetes', { selected: 'vpn', methods: ['direct'] })).toThrow(/not among/);
    expect(() => checkPreferences('kubernetes', { selected: 'auto', methods: ['direct', 'direct'] })).toThrow(/only once/);
    expect(checkPreferences('kubernetes', { selected: 'auto', methods: ['ssh', 'direct'], ssh })).toMatchObject({ methods: ['ssh', 'direct'] });
  });

  it('names the skipped methods in the reason', () => {
    const down = { method: 'ssh' as const, healthy: false, reason: 'Cannot reach ops@bastion:22.' };
    const up = { method: 'direct' as const, healthy: true, reason: 'accepted' };
    expect(choiceReason(true, [up], up)).toBe('Auto chose Direct, first in priority and healthy: accepted');
    expect(choiceReason(true, [down, up], up)).toBe('Auto chose Direct, fell back after Direct SSH failed (Cannot reach ops@bastion:22.): accepted');
    expect(choiceReason(false, [up], up)).toBe('Direct (selected by you): accepted');
  });

  it('shows what the user can fix before "unreachable"', () => {
    const unreachable = new AppError('UNREACHABLE', 'down');
    const hostKey = new AppError('HOST_KEY_UNKNOWN', 'confirm');
    expect(primaryFailure([unreachable, hostKey])).toBe(hostKey);
    expect(primaryFailure([unreachable])).toBe(unreachable);
  });
});
