/**
 * A simulated Microsoft Entra ID (login.microsoftonline.com) for one tenant,
 * over HTTPS: what `ClientSecretCredential` from `@azure/identity` needs when
 * its `authorityHost` points here (with `disableInstanceDiscovery`, since
 * instance discovery always asks login.microsoftonline.com itself). The
 * simulated ARM accepts the tokens it signs.
 */
import type https from 'node:https';
import { closeHttps, listenHttps } from '../arm/httpsServer';
import {
  EntraDirectory,
  type AppRegistration,
  type EntraDirectoryOptions,
} from './directory';
import { entraRequestHandler } from './server';

export interface EntraSimulatorOptions extends EntraDirectoryOptions {
  /** Listen address. Default 127.0.0.1. */
  host?: string;
  /** Listen port; 0 (default) picks a free one. */
  port?: number;
  tls: { certPem: string; keyPem: string };
}

export class EntraSimulator {
  readonly directory: EntraDirectory;
  private server?: https.Server;
  private listenUrl?: string;

  constructor(private readonly options: EntraSimulatorOptions) {
    this.directory = new EntraDirectory(options);
  }

  /** The `authorityHost` for `@azure/identity`, e.g. `https://127.0.0.1:6446`. */
  get url(): string {
    if (!this.listenUrl) throw new Error('EntraSimulator is not started');
    return this.listenUrl;
  }

  registerApplication(
    app: Partial<AppRegistration> & { displayName: string },
  ): AppRegistration {
    return this.directory.registerApplication(app);
  }

  async start(): Promise<{ url: string }> {
    if (this.listenUrl) return { url: this.listenUrl };
    const { server, url } = await listenHttps(
      entraRequestHandler(this.directory),
      this.options,
    );
    this.server = server;
    this.listenUrl = url;
    return { url: this.listenUrl };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.listenUrl = undefined;
    await closeHttps(server);
  }
}
