/**
 * The application revisions the fake CodeDeploy keeps: every deployment's AppSpec, found again by
 * application, revision type and sha256 (GetApplicationRevision), and named by type and sha256
 * only in GetDeployment ("The content property of the appSpecContent object in the returned
 * revision is always null", CodeDeploy API Reference, GetDeployment).
 */
import { createHash } from 'node:crypto';

export type ContentRevisionType = 'AppSpecContent' | 'String';

export interface StoredRevision {
  readonly revisionType: ContentRevisionType;
  readonly content: string;
  readonly sha256: string;
  readonly registerTime: number;
  readonly deploymentGroups: Set<string>;
  lastUsedTime: number;
}

export class CodeDeployRevisions {
  private readonly byKey = new Map<string, StoredRevision>();
  private readonly ofDeployment = new Map<string, StoredRevision>();

  /** Keeps the revision a deployment used (once per application, type and content). */
  record(
    deploymentId: string,
    applicationName: string,
    deploymentGroupName: string,
    revisionType: ContentRevisionType,
    content: string,
    now: number,
  ): void {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const key = `${applicationName}|${revisionType}|${sha256}`;
    const stored = this.byKey.get(key) ?? {
      revisionType,
      content,
      sha256,
      registerTime: now,
      deploymentGroups: new Set<string>(),
      lastUsedTime: now,
    };
    stored.deploymentGroups.add(deploymentGroupName);
    stored.lastUsedTime = now;
    this.byKey.set(key, stored);
    this.ofDeployment.set(deploymentId, stored);
  }

  find(applicationName: string, revisionType: ContentRevisionType, sha256: string | undefined): StoredRevision | undefined {
    return this.byKey.get(`${applicationName}|${revisionType}|${String(sha256)}`);
  }

  /** A deployment's revision as GetDeployment gives it: the type and sha256, never the content. */
  location(deploymentId: string) {
    const stored = this.ofDeployment.get(deploymentId)!;
    return stored.revisionType === 'AppSpecContent'
      ? { revisionType: 'AppSpecContent' as const, appSpecContent: { sha256: stored.sha256 } }
      : { revisionType: 'String' as const, string: { sha256: stored.sha256 } };
  }
}
