/**
 * The `notifications` section of a service file: email subscriptions, and one Slack and one
 * Microsoft Teams channel through AWS Chatbot, each ID checked against CloudFormation's pattern.
 */
import { z } from 'zod';

import { accepts, strictObject } from './zod-helpers';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** AWS Chatbot's Slack IDs (CloudFormation AWS::Chatbot::SlackChannelConfiguration patterns). */
const SLACK_WORKSPACE_PATTERN = /^[0-9A-Z]{1,255}$/;
const SLACK_CHANNEL_PATTERN = /^[A-Za-z0-9]{1,255}$/;
const UUID_PATTERN = /^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/;
/** A Teams channel id as Teams copies it, URL-encoded: `19%3a…%40thread.tacv2`. */
const TEAMS_CHANNEL_PATTERN = /^[a-zA-Z0-9\-_=+/.,]*%3[aA][a-zA-Z0-9\-_=+/.,]*%40[a-zA-Z0-9\-_=+/.,]*$/;
const SLACK_WORKSPACE_TEXT =
  'the Slack workspace ID shown in the AWS Chatbot console after authorizing the workspace, uppercase letters and digits such as T0123ABCD';
const SLACK_CHANNEL_TEXT = 'the Slack channel ID (the end of the channel link), letters and digits such as C0123ABCD';
const TEAMS_CHANNEL_TEXT =
  'the Microsoft Teams channel ID as Teams copies it, URL-encoded, such as 19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2';
const uuid = (what: string) =>
  z
    .string(accepts(`${what}, a UUID such as 8f0e3c2a-1b4d-4e6f-9a7b-0c1d2e3f4a5b`))
    .regex(UUID_PATTERN, accepts(`${what}, a UUID such as 8f0e3c2a-1b4d-4e6f-9a7b-0c1d2e3f4a5b`));

const slackSchema = strictObject({
  workspaceId: z.string(accepts(SLACK_WORKSPACE_TEXT)).regex(SLACK_WORKSPACE_PATTERN, accepts(SLACK_WORKSPACE_TEXT)),
  channelId: z.string(accepts(SLACK_CHANNEL_TEXT)).regex(SLACK_CHANNEL_PATTERN, accepts(SLACK_CHANNEL_TEXT)),
});

const teamsSchema = strictObject({
  teamId: uuid('the Microsoft Teams team ID shown in the AWS Chatbot console'),
  channelId: z
    .string(accepts(TEAMS_CHANNEL_TEXT))
    .regex(TEAMS_CHANNEL_PATTERN, accepts(TEAMS_CHANNEL_TEXT))
    .max(256, accepts(TEAMS_CHANNEL_TEXT)),
  tenantId: uuid('the Microsoft Entra tenant ID shown in the AWS Chatbot console'),
});

export const notificationsSchema = strictObject({
  emails: z
    .array(z.string(accepts('an email address')).regex(EMAIL_PATTERN, accepts('an email address')), accepts('a list of email addresses'))
    .superRefine((emails, ctx) => {
      // Each address becomes one subscription; the same address twice cannot be synthesized.
      const first = new Map<string, number>();
      emails.forEach((email, index) => {
        const key = email.toLowerCase();
        const earlier = first.get(key);
        if (earlier === undefined) first.set(key, index);
        else
          ctx.addIssue({
            code: 'custom',
            path: [index],
            input: email,
            message: `accepted: an address not already listed (it is emails[${earlier}]); each address is subscribed once`,
          });
      });
    })
    .default([]),
  /** Posts every announcement to one Slack channel through AWS Chatbot. */
  slack: slackSchema.optional(),
  /** Posts every announcement to one Microsoft Teams channel through AWS Chatbot. */
  teams: teamsSchema.optional(),
});
