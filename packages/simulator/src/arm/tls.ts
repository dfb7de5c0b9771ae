import { generate } from 'selfsigned';

/** A local CA and a server certificate it signed. Persist it to keep clients' trust across restarts. */
export interface SimulatorTls {
  /** The CA certificate clients must trust (`NODE_EXTRA_CA_CERTS` or `tlsOptions.ca`). */
  caCertPem: string;
  /** The server (leaf) certificate, for `localhost`, `127.0.0.1`, `::1` and any extra hosts. */
  certPem: string;
  keyPem: string;
}

export interface CreateSimulatorTlsOptions {
  /** Extra DNS names or IP addresses the server certificate must cover (e.g. a compose service name). */
  hosts?: string[];
  /** Validity of the server certificate in days (the CA gets ten years). Default 825. */
  validityDays?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Creates a CA ("KAITO Simulator Local CA") and a server certificate signed by
 * it. EC P-256 keys keep generation to a few milliseconds.
 */
export async function createSimulatorTls(
  options: CreateSimulatorTlsOptions = {},
): Promise<SimulatorTls> {
  const now = new Date(Date.now() - 5 * 60 * 1000); // tolerate small clock skew
  const ca = await generate(
    [
      { name: 'commonName', value: 'KAITO Simulator Local CA' },
      { name: 'organizationName', value: 'kaito-backstage simulator' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: now,
      notAfterDate: new Date(now.getTime() + 3650 * DAY_MS),
      extensions: [
        {
          name: 'basicConstraints',
          cA: true,
          pathLenConstraint: 0,
          critical: true,
        },
        {
          name: 'keyUsage',
          keyCertSign: true,
          cRLSign: true,
          digitalSignature: true,
          critical: true,
        },
      ],
    },
  );
  const extraHosts = options.hosts ?? [];
  const altNames = [
    { type: 2 as const, value: 'localhost' },
    { type: 7 as const, ip: '127.0.0.1' },
    { type: 7 as const, ip: '::1' },
    ...extraHosts.map(host =>
      IPV4.test(host) || host.includes(':')
        ? { type: 7 as const, ip: host }
        : { type: 2 as const, value: host },
    ),
  ];
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(
      now.getTime() + (options.validityDays ?? 825) * DAY_MS,
    ),
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { caCertPem: ca.cert, certPem: server.cert, keyPem: server.private };
}
