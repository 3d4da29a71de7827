import { Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PUBLIC_KEY, ROLES_KEY, type Role } from './roles.decorator.js';

export interface RouteEntry {
  /** GET, POST, … */
  method: string;
  /** Express-style path without a leading slash: `api/shops/:id`. */
  path: string;
  controller: string;
  handler: string;
  public: boolean;
  /** The roles allowed, or null when the route declares neither @Roles nor @Public. */
  roles: Role[] | null;
}

/**
 * Every HTTP route the app registers with what it declares about access, read from the same metadata
 * the guard reads. The API docs and the role-matrix test are built from it, so a route added later is
 * documented and tested without anyone listing it.
 */
@Injectable()
export class RouteInventory {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  routes(): RouteEntry[] {
    const out: RouteEntry[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!controller) continue;
      const prefixes = asList(Reflect.getMetadata(PATH_METADATA, controller));
      for (const name of this.scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const targets = [handler, controller];
        const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true;
        const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? null;
        for (const prefix of prefixes) {
          for (const p of asList(paths)) {
            out.push({ method, path: joinPath(prefix, p), controller: controller.name, handler: name, public: isPublic, roles: isPublic ? null : roles });
          }
        }
      }
    }
    return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }
}

function asList(v: string | string[] | undefined): string[] {
  return v === undefined ? [''] : Array.isArray(v) ? v : [v];
}

function joinPath(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');
}
