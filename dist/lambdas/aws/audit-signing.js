"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.signRecord = signRecord;
exports.auditPublicKey = auditPublicKey;
/**
 * The audit trail's KMS key (docs/audit.md): the engine signs each record's `signingPayload`
 * (ECDSA_SHA_256, MessageType RAW: KMS hashes the payload with SHA-256, AWS KMS API Reference,
 * Sign); verifiers read the public key once (GetPublicKey) and check signatures locally, so they
 * need no signing right.
 */
const client_kms_1 = require("@aws-sdk/client-kms");
const audit_chain_1 = require("../core/audit-chain");
const deploy_errors_1 = require("./deploy-errors");
/** The record's signature, base64 of KMS's DER-encoded ECDSA signature. */
async function signRecord(signer, record) {
    const { Signature } = await signer.client.send(new client_kms_1.SignCommand({
        KeyId: signer.keyArn,
        Message: new TextEncoder().encode((0, audit_chain_1.signingPayload)(record)),
        MessageType: 'RAW',
        SigningAlgorithm: 'ECDSA_SHA_256',
    }));
    if (!Signature)
        throw new Error(`KMS Sign with ${signer.keyArn} returned no signature`);
    return Buffer.from(Signature).toString('base64');
}
/** The DER SubjectPublicKeyInfo of the signing key (one kms:GetPublicKey). */
async function auditPublicKey(kms, keyArn) {
    const out = await (0, deploy_errors_1.awsCall)('kms:GetPublicKey', () => kms.send(new client_kms_1.GetPublicKeyCommand({ KeyId: keyArn })));
    if (!out.PublicKey || out.KeySpec !== 'ECC_NIST_P256')
        throw new Error(`KMS key ${keyArn} is ${out.KeySpec ?? 'without a public key'}; the audit trail is signed with an ECC_NIST_P256 key`);
    return out.PublicKey;
}
