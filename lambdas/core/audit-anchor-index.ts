/**
 * The index of a service's anchors that the audit trail's verification relies on: the anchors
 * signed by the pinned trust root, sensibly dated and not expired, by sequence number and hash.
 * What is wrong with the others is reported as it is found. Pure: `node:crypto` only.
 */
import type { KeyObject } from 'node:crypto';

import { type Anchor, type AnchorObject, escapeControl, isLegacyAnchorKey, parseAnchorKey, signatureValid } from './audit-anchor';
import { isSequenceNumber, type TrustRoot } from './audit-chain';
import { type AddProblem, iso, short } from './audit-problems';

/**
 * How far a record's signed write time may be from S3's LastModified of its anchor (the engine anchors right
 * after the put; a Lambda runs at most 15 minutes).
 */
export const ANCHOR_TIME_TOLERANCE_MS = 15 * 60_000;
/**
 * The shortest retention the engine writes (`auditRetentionDays` ≥ 1): an anchor that expires sooner after its
 * write time was not written by it.
 */
export const MIN_RETENTION_S = 86_400;

/** What the index is built from: the service's anchor objects (every version), its trust root and the time. */
export interface AnchorIndexInput {
  readonly service: string;
  /** The pinned key and bucket; absent: no anchor can be trusted. */
  readonly root?: TrustRoot;
  readonly anchors: readonly AnchorObject[];
  /** Epoch ms, to tell an expired anchor from a live one. */
  readonly now: number;
}

/** The anchors that verification relies on: signed by the root, sensibly dated, not expired. */
export interface AnchorIndex {
  readonly live: Map<number, Anchor[]>;
  readonly liveSks: number[];
  readonly byHash: Map<string, Anchor>;
  readonly expiredSks: Set<number>;
  /** Anchors whose signature verified, by signature: a record with the same signature and signed fields needs no second check. */
  readonly verified: Map<string, Anchor>;
  /** Sequence numbers of unexpired anchors behind a delete marker. */
  readonly hidden: number[];
}

export function indexAnchors(input: AnchorIndexInput, key: KeyObject | undefined, add: AddProblem): AnchorIndex {
  const live = new Map<number, Anchor[]>();
  const byHash = new Map<string, Anchor>();
  const expiredSks = new Set<number>();
  const verified = new Map<string, Anchor>();
  const hidden: number[] = [];
  for (const object of input.anchors) {
    const anchor = parseAnchorKey(object.key);
    const shown = escapeControl(object.key);
    if (!anchor || anchor.service !== input.service || !isSequenceNumber(anchor.sk)) {
      if (isLegacyAnchorKey(object.key))
        add(0, 'legacy', `anchor ${shown} was written before expiry and write time were signed: it is not trusted`);
      else
        add(
          0,
          'malformed-anchor',
          `object ${shown} in the anchor bucket is not an anchor of ${input.service} (sequence numbers start at 1)`,
        );
      continue;
    }
    if (!key || !input.root || !signatureValid(key, input.root, anchor, anchor.signature)) {
      if (key)
        add(
          anchor.sk,
          'forged-anchor',
          `the anchor of record ${anchor.sk} (${anchor.deploymentId}) is not signed by the pinned key for this bucket: the engine did not write it`,
        );
      continue;
    }
    verified.set(anchor.signature, anchor);
    if (anchor.expiresAt - anchor.atMs / 1000 < MIN_RETENTION_S) {
      add(
        anchor.sk,
        'bad-expiry',
        `the anchor of record ${anchor.sk} (${anchor.deploymentId}) says it expires ${iso(anchor.expiresAt)}, less than a day after it was written (${new Date(anchor.atMs).toISOString()}): a record's expiry was shortened`,
      );
      continue;
    }
    if (Math.abs(object.lastModified - anchor.atMs) > ANCHOR_TIME_TOLERANCE_MS) {
      add(
        anchor.sk,
        'backdated',
        `record ${anchor.sk} (${anchor.deploymentId}) says it was written ${new Date(anchor.atMs).toISOString()}, but S3 stored its anchor ${new Date(object.lastModified).toISOString()} (tolerance ${ANCHOR_TIME_TOLERANCE_MS / 60_000} min): its time was forged`,
      );
    }
    if (anchor.expiresAt * 1000 <= input.now) {
      expiredSks.add(anchor.sk);
      continue;
    }
    // A delete marker hides nothing from a listing of every version; the bucket's own lifecycle adds
    // them early after a retention decrease, so a hidden anchor is counted and shown, not a problem.
    if (object.hidden) hidden.push(anchor.sk);
    const same = live.get(anchor.sk);
    if (same) same.push(anchor);
    else live.set(anchor.sk, [anchor]);
    byHash.set(anchor.hash, anchor);
  }
  for (const [sk, anchors] of live) {
    const distinct = new Set(anchors.map((a) => `${a.hash}.${a.expiresAt}`));
    if (distinct.size > 1)
      add(
        sk,
        'fork',
        `record ${sk} has ${distinct.size} different signed anchors (${anchors.map((a) => `${a.deploymentId} ${short(a.hash)} written ${new Date(a.atMs).toISOString()} expires ${iso(a.expiresAt)}`).join('; ')}): the engine's key signed two records for one sequence number`,
      );
  }
  return { live, liveSks: [...live.keys()].sort((a, b) => a - b), byHash, expiredSks, verified, hidden };
}
