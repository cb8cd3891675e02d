/** Shard 1 of the fault campaign (see campaign-shard.ts): jest's workers share the campaign's seeds. */
import { describeCampaignShard } from './campaign-shard';

describeCampaignShard(0, 4);
