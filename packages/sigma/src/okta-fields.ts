/**
 * The Okta System Log LogEvent fields, as a tree, so a Sigma field name resolves to the event's
 * own path case-insensitively: SigmaHQ and Panther write `eventtype`, `displaymessage`,
 * `debugcontext.debugdata.requesturi`; the event says `eventType`, `displayMessage`,
 * `debugContext.debugData.requestUri`.
 *
 * `OPEN` marks maps whose keys Okta does not fix (debugData, detailEntry, changeDetails): a known
 * key there is matched case-insensitively, any other key is kept as written without a warning.
 * `ARRAY` marks lists of objects (target, request.ipChain): a condition on a field inside holds
 * when it holds for any element, as Sigma backends treat multi-valued fields.
 */
export const OPEN = Symbol('open map');
export const ARRAY = Symbol('array of objects');

export interface FieldTree {
  readonly [key: string]: FieldTree | true;
  readonly [OPEN]?: true;
  readonly [ARRAY]?: true;
}

const actorLike: FieldTree = { id: true, type: true, alternateId: true, displayName: true, detailEntry: { [OPEN]: true } };

const geo: FieldTree = { city: true, state: true, country: true, postalCode: true, geolocation: { lat: true, lon: true } };

export const OKTA_FIELDS: FieldTree = {
  uuid: true,
  published: true,
  eventType: true,
  version: true,
  severity: true,
  legacyEventType: true,
  displayMessage: true,
  actor: actorLike,
  client: {
    id: true,
    userAgent: { rawUserAgent: true, os: true, browser: true },
    zone: true,
    device: true,
    ipAddress: true,
    geographicalContext: geo,
  },
  device: {
    id: true,
    name: true,
    os_platform: true,
    os_version: true,
    managed: true,
    registered: true,
    device_integrator: { [OPEN]: true },
    disk_encryption_type: true,
    screen_lock_type: true,
    jailbreak: true,
    secure_hardware_present: true,
  },
  outcome: { result: true, reason: true },
  target: { ...actorLike, changeDetails: { [OPEN]: true }, [ARRAY]: true },
  transaction: { type: true, id: true, detail: { [OPEN]: true } },
  debugContext: {
    debugData: {
      [OPEN]: true,
      requestId: true,
      requestUri: true,
      url: true,
      threatSuspected: true,
      behaviors: true,
      risk: true,
      logOnlySecurityData: true,
      factor: true,
      factorIntent: true,
      deviceFingerprint: true,
      dtHash: true,
      privilegeGranted: true,
      privilegeRevoked: true,
      pushOnlyResponseType: true,
      pushWithNumberChallengeResponseType: true,
      authnRequestId: true,
      networkConnection: true,
      initiationType: true,
      signOnMode: true,
      grantType: true,
      clientSecret: true,
      tunnels: true,
    },
  },
  authenticationContext: {
    authenticationProvider: true,
    credentialProvider: true,
    credentialType: true,
    issuer: { id: true, type: true },
    externalSessionId: true,
    interface: true,
    authenticationStep: true,
    rootSessionId: true,
  },
  securityContext: { asNumber: true, asOrg: true, isp: true, domain: true, isProxy: true },
  request: { ipChain: { ip: true, version: true, source: true, geographicalContext: geo, [ARRAY]: true } },
};

/** Where a Sigma field lands on the Okta event. */
export interface ResolvedField {
  /** The event path, segments in Okta's case. */
  readonly segments: readonly string[];
  /** Index of the first segment below an array of objects (`target`), or -1. */
  readonly arrayAt: number;
  /** False when some segment is neither a known field nor under an open map: a likely typo. */
  readonly known: boolean;
}

function childKey(tree: FieldTree, segment: string): string | undefined {
  if (Object.hasOwn(tree, segment)) return segment;
  const lower = segment.toLowerCase();
  return Object.keys(tree).find((k) => k.toLowerCase() === lower);
}

/**
 * Resolves a Sigma field name (`eventtype`, `debugContext.debugData.requestUri`,
 * `target.displayName`) against the Okta event tree, case-insensitively.
 */
export function resolveOktaField(name: string, tree: FieldTree = OKTA_FIELDS): ResolvedField {
  const written = name.split('.');
  const segments: string[] = [];
  let node: FieldTree | true | undefined = tree;
  let arrayAt = -1;
  let known = true;
  for (const segment of written) {
    if (node === true) {
      // A path below a leaf value: the event has nothing there.
      known = false;
      segments.push(segment);
      node = undefined;
      continue;
    }
    if (node === undefined) {
      // Below an open map's own key, or below an unknown one: kept as written.
      segments.push(segment);
      continue;
    }
    if (node[ARRAY] && /^\d+$/.test(segment) && arrayAt === segments.length) {
      // An explicit index (`target.0.alternateId`) reads that element, not any element.
      segments.push(segment);
      arrayAt = -1;
      continue;
    }
    const key = childKey(node, segment);
    if (key === undefined) {
      if (!node[OPEN]) known = false;
      segments.push(segment);
      node = undefined;
      continue;
    }
    segments.push(key);
    node = (node as Record<string, FieldTree | true>)[key];
    if (node !== true && node !== undefined && node[ARRAY] && arrayAt === -1) arrayAt = segments.length;
  }
  return { segments, arrayAt, known };
}

/** Every known leaf path, for the README's mapping table and for keyword search. */
export function knownLeafPaths(tree: FieldTree = OKTA_FIELDS, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (child === true) out.push(path);
    else out.push(...knownLeafPaths(child, path));
  }
  return out;
}
