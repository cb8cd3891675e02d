/** Shard 3 of the fault campaign (see campaign-shard.ts): jest's workers share the campaign's seeds. */
import { describeCampaignShard } from './campaign-shard';

describeCampaignShard(2, 4);
