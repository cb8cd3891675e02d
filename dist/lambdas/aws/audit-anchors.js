"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.writeAnchor = writeAnchor;
exports.listAnchors = listAnchors;
/**
 * The chain's anchors in the S3 Object Lock bucket (docs/audit.md): after appending a record the
 * engine writes one object whose key carries the record's sequence number, deployment, hash,
 * signature and expiry, locked in compliance mode until the record's TTL. `canary history` lists
 * them and compares the table with them (lambdas/core/audit-trail.ts).
 */
const client_s3_1 = require("@aws-sdk/client-s3");
const audit_trail_1 = require("../core/audit-trail");
const deploy_errors_1 = require("./deploy-errors");
/**
 * Writes the record's anchor, retained in compliance mode until the record expires. `IfNoneMatch`
 * makes a redelivered write a no-op (412, ignored) instead of a second version.
 */
async function writeAnchor(store, record) {
    const key = (0, audit_trail_1.anchorKey)(record);
    try {
        await store.client.send(new client_s3_1.PutObjectCommand({
            Bucket: store.bucket,
            Key: key,
            Body: JSON.stringify({ service: record.pk, sk: record.sk, deploymentId: record.deploymentId, at: record.at, hash: record.hash, prevHash: record.prevHash, signature: record.signature }),
            ContentType: 'application/json',
            ObjectLockMode: 'COMPLIANCE',
            ObjectLockRetainUntilDate: new Date(record.expiresAt * 1000),
            IfNoneMatch: '*',
        }));
    }
    catch (error) {
        if (error.name !== 'PreconditionFailed')
            throw error;
    }
    return key;
}
/** Every anchor of a service (ListObjectsV2, paged). */
async function listAnchors(s3, bucket, service) {
    const anchors = [];
    const foreign = [];
    let token;
    do {
        const page = await (0, deploy_errors_1.awsCall)('s3:ListBucket', () => s3.send(new client_s3_1.ListObjectsV2Command({ Bucket: bucket, Prefix: (0, audit_trail_1.anchorPrefix)(service), ...(token ? { ContinuationToken: token } : {}) })));
        for (const { Key } of page.Contents ?? []) {
            const anchor = Key ? (0, audit_trail_1.parseAnchorKey)(Key) : undefined;
            if (anchor)
                anchors.push(anchor);
            else if (Key)
                foreign.push(Key);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return { anchors, foreign };
}
