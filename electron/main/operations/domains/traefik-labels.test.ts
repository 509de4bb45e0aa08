import { describe, expect, it } from 'vitest';
import { isTraefik, labelChange, nextRouterName, parseRule, routerBase, traefikRoutes, withoutRoute, withRoute } from './traefik-labels.ts';

describe('Traefik router labels', () => {
  it('reads hosts and the path prefix from the rule spellings Traefik accepts', () => {
    const cases: [string, string[], string][] = [
      ['Host(`a.example.test`)', ['a.example.test'], '/'],
      ['Host(`a.example.test`) && PathPrefix(`/api`)', ['a.example.test'], '/api'],
      ['PathPrefix(`/v2`) && Host(`b.example.test`)', ['b.example.test'], '/v2'],
      ['Host(`a.example.test`, `b.example.test`)', ['a.example.test', 'b.example.test'], '/'],
      ['Host(`a.example.test`) || Host(`c.example.test`)', ['a.example.test', 'c.example.test'], '/'],
      ['Host("q.example.test")', ['q.example.test'], '/'],
      ['PathPrefix(`/only`)', [], '/only'],
    ];
    for (const [rule, hosts, path] of cases) expect(parseRule(rule), rule).toEqual({ hosts, path });
  });

  it('adds and removes a router for generated hosts and paths, leaving every other label as it was', () => {
    const base = { team: 'payments', 'traefik.http.routers.legacy.rule': 'Host(`legacy.test`)', 'traefik.http.services.legacy.loadbalancer.server.port': '81' };
    for (const [index, host] of ['a.example.test', 'sub.a.example.test', 'w-1.wild.example.test', 'x1-y2.test'].entries()) {
      for (const path of ['/', '/api', '/a/b-c']) {
        for (const tls of [true, false]) {
          const router = nextRouterName('Web Shop', base);
          const added = withRoute(base, { router, host, path, port: 8000 + index, tls });
          const route = traefikRoutes(added).find((candidate) => candidate.router === router);
          expect(route).toEqual({ router, hosts: [host], path, port: 8000 + index, tls, entrypoints: tls ? 'websecure' : 'web' });
          const removed = withoutRoute(added, router);
          expect(removed).toEqual({ ...base, 'traefik.enable': 'true' });
          const change = labelChange(base, added);
          expect(change.before).toBe('(none)');
          expect(change.after).toContain(`traefik.http.routers.${router}.rule=`);
          expect(change.after).not.toContain('legacy');
        }
      }
    }
  });

  it('names routers <service>-<n> with the lowest free n, from a service name Traefik accepts', () => {
    expect(routerBase('Web_Shop.v2')).toBe('web-shop-v2');
    expect(routerBase('___')).toBe('service');
    const one = withRoute({}, { router: 'shop-1', host: 'a.test', path: '/', port: 80, tls: true });
    expect(nextRouterName('shop', {})).toBe('shop-1');
    expect(nextRouterName('shop', one)).toBe('shop-2');
    const three = withRoute(one, { router: 'shop-3', host: 'c.test', path: '/', port: 80, tls: true });
    expect(nextRouterName('shop', three)).toBe('shop-2');
  });

  it('keeps a service another router still uses when one router is removed', () => {
    const labels = {
      'traefik.http.routers.a.rule': 'Host(`a.test`)',
      'traefik.http.routers.a.service': 'shared',
      'traefik.http.routers.b.rule': 'Host(`b.test`)',
      'traefik.http.routers.b.service': 'shared',
      'traefik.http.services.shared.loadbalancer.server.port': '80',
    };
    expect(withoutRoute(labels, 'a')).toEqual({ 'traefik.http.routers.b.rule': 'Host(`b.test`)', 'traefik.http.routers.b.service': 'shared', 'traefik.http.services.shared.loadbalancer.server.port': '80' });
    expect(traefikRoutes(labels).map((route) => route.port)).toEqual([80, 80]);
  });

  it('recognises Traefik by its image repository or the image’s OCI title, not by routing labels', () => {
    for (const image of ['traefik', 'traefik:v3.1', 'docker.io/library/traefik:3', 'registry.local:5000/proxy/traefik@sha256:abc', 'traefik:latest']) expect(isTraefik({ Image: image }), image).toBe(true);
    for (const image of ['nginx', 'traefik-whoami', 'mytraefik:1', 'traefik/whoami', 'registry.local:5000/traefik-helper']) expect(isTraefik({ Image: image }), image).toBe(false);
    expect(isTraefik({ Image: 'sha256:1234', Labels: { 'org.opencontainers.image.title': 'Traefik' } })).toBe(true);
    expect(isTraefik({ Image: 'web', Labels: { 'traefik.enable': 'true', 'traefik.http.routers.web.rule': 'Host(`a.test`)' } })).toBe(false);
  });
});
