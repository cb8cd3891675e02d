import { toSnapshot } from '../../cli/deploy/deployment-state';
import { newestReason, type ProgressState, progressState } from '../../cli/progress/model';
import { clock, plainKey, redraw, renderFrame, renderJsonEvent, renderPlainLine, weightBar } from '../../cli/progress/render';
import { ProgressReporter } from '../../cli/progress/reporter';
import { metadata } from '../deploy/fixtures';
import { chain, decision, START, target } from './harness';

const NOW = new Date(START);
const state = (overrides: Partial<ProgressState> = {}): ProgressState => ({
  service: 'web',
  deploymentId: 'd-1',
  status: 'InProgress',
  terminal: false,
  lifecycleEvent: 'AfterAllowTestTraffic',
  stage: { number: 2, of: 3, weight: 25, postTraffic: false },
  weights: { original: 75, replacement: 25 },
  bake: { leftDataMinutes: 6, ofDataMinutes: 10, judged: true },
  lastVerdict: { verdict: 'hold', reason: 'canary 300/300 requests, bake not over', at: '2026-11-21T11:59:00.000Z', seq: 4, checks: [] },
  ...overrides,
});

describe('progress', () => {
  describe('render', () => {
    describe('weightBar and clock', () => {
      it.each([
        [0, '[░░░░░░░░░░░░░░░░░░░░]'],
        [5, '[█░░░░░░░░░░░░░░░░░░░]'],
        [50, '[██████████░░░░░░░░░░]'],
        [100, '[████████████████████]'],
        [130, '[████████████████████]'],
      ])('draws %i%% as %s', (percent, bar) => {
        expect(weightBar(percent)).toBe(bar);
      });

      it.each([
        [0, '00:00'],
        [59.6, '01:00'],
        [372, '06:12'],
        [-5, '00:00'],
      ])('shows %d s as %s', (seconds, text) => {
        expect(clock(seconds)).toBe(text);
      });
    });

    describe('renderFrame (terminal)', () => {
      it('shows stage, weight bar, bake in data-minutes and last verdict', () => {
        expect(renderFrame(state())).toEqual([
          'web  d-1  InProgress · AfterAllowTestTraffic',
          '  stage 2/3 (25%)',
          '  traffic [█████░░░░░░░░░░░░░░░]  25% new',
          '  bake    6 of 10 data-minutes left',
          '  verdict hold: canary 300/300 requests, bake not over',
        ]);
      });

      it('says what it waits for before the engine reports', () => {
        expect(renderFrame(state({ stage: undefined, weights: undefined, bake: undefined, lastVerdict: undefined })).slice(1)).toEqual([
          '  waiting for the rollout engine',
          '  traffic [░░░░░░░░░░░░░░░░░░░░]   ?% new',
          '  bake    -',
          '  verdict none yet',
        ]);
      });

      it('names the post-traffic bake', () => {
        expect(renderFrame(state({ stage: { number: 4, of: 3, weight: 100, postTraffic: true } }))[1]).toBe('  post-traffic bake at 100%');
      });

      it('cuts lines to the terminal width', () => {
        expect(renderFrame(state(), 30).every((l) => l.length <= 30)).toBe(true);
        expect(renderFrame(state(), 30)[4]).toMatch(/…$/);
      });

      it('redraws over the previous frame', () => {
        expect(redraw(0, ['a', 'b'])).toBe('a\nb\n');
        expect(redraw(5, ['a'])).toBe('\x1b[5F\x1b[Ja\n');
      });
    });

    describe('renderPlainLine (CI)', () => {
      it('writes one timestamped line with every part', () => {
        expect(renderPlainLine(state(), NOW)).toBe(
          '2026-11-21T12:00:00.000Z | d-1 | InProgress | AfterAllowTestTraffic | stage 2/3 (25%) | traffic 25% new | bake 6 of 10 data-minutes left | verdict hold: canary 300/300 requests, bake not over',
        );
      });

      it('keys on the verdict, stage and weights (a new verdict brings the bake with it)', () => {
        expect(plainKey(state())).toBe(plainKey(state({ bake: { leftDataMinutes: 5, ofDataMinutes: 10, judged: true } })));
        expect(plainKey(state())).not.toBe(plainKey(state({ weights: { original: 50, replacement: 50 } })));
      });
    });

    describe('renderJsonEvent', () => {
      it('is one line of JSON with type and time', () => {
        const line = renderJsonEvent('progress', state(), NOW);
        expect(line).not.toContain('\n');
        expect(JSON.parse(line)).toMatchObject({ type: 'progress', at: '2026-11-21T12:00:00.000Z', stage: { number: 2 } });
      });
    });
  });

  describe('ProgressReporter', () => {
    const sink = (isTTY: boolean) => ({
      isTTY,
      text: '',
      write(t: string) {
        this.text += t;
      },
    });

    it.each<['tty' | 'plain' | 'json', number]>([
      ['tty', 3],
      ['plain', 2],
      ['json', 2],
    ])('in %s mode writes %i updates for three states of which two are alike', (mode, writes) => {
      const out = sink(mode === 'tty');
      const reporter = new ProgressReporter(out, mode, () => NOW);
      reporter.update(state());
      reporter.update(state({ bake: { leftDataMinutes: 5, ofDataMinutes: 10, judged: true } }));
      reporter.update(state({ stage: { number: 3, of: 3, weight: 50, postTraffic: false } }));
      const count = mode === 'tty' ? out.text.split('web  d-1').length - 1 : out.text.trim().split('\n').length;
      expect(count).toBe(writes);
    });
  });

  describe('model', () => {
    describe('progressState', () => {
      const snapshot = toSnapshot('d-NEW', { status: 'InProgress' }, target([['AfterAllowTestTraffic', 'InProgress']]));
      const records = chain([
        decision({ stage: { index: 0, weight: 5 }, verdict: 'promote', reason: 'clean' }),
        decision({
          stage: { index: 1, weight: 25 },
          verdict: 'hold',
          reason: 'bake',
          reasons: [
            {
              check: 'bake',
              status: 'hold',
              observed: '3 complete data-minute(s) at 25%',
              bar: '≥ 10 data-minutes',
              detail: 'baking: 7 data-minute(s) left.',
            },
          ],
        }),
        decision({ kind: 'event', action: 'tick', reason: 'observing', stage: { index: 1, weight: 25 } }),
        decision({ deploymentId: 'd-OTHER', stage: { index: 2, weight: 50 }, verdict: 'rollback', reason: 'other deployment' }),
      ]).reverse();

      it("takes stage, the bake in the judge's data-minutes and verdict from this deployment's records only", () => {
        expect(progressState(metadata(), snapshot, { original: 75, replacement: 25 }, records)).toMatchObject({
          stage: { number: 2, of: 3, weight: 25, postTraffic: false },
          bake: { leftDataMinutes: 7, ofDataMinutes: 10, judged: true },
          lastVerdict: { verdict: 'hold', reason: 'bake', seq: 2 },
          weights: { original: 75, replacement: 25 },
          lifecycleEvent: 'AfterAllowTestTraffic',
        });
      });

      it('uses the post-traffic bake length after AllowTraffic', () => {
        const post = chain([decision({ hook: 'AfterAllowTraffic', stage: { index: 3, weight: 100 }, verdict: 'hold', reason: 'baking' })]);
        expect(progressState(metadata(), snapshot, undefined, post)).toMatchObject({
          stage: { number: 4, postTraffic: true },
          bake: { leftDataMinutes: 15, ofDataMinutes: 15, judged: false },
        });
      });

      it('shows no bake once the deployment ended and falls back to the recorded weights', () => {
        const ended = toSnapshot('d-NEW', { status: 'Succeeded' }, undefined);
        const withWeights = chain([decision({ stage: { index: 0, weight: 5 }, weights: { original: 95, replacement: 5 }, reason: 'x' })]);
        expect(progressState(metadata(), ended, undefined, withWeights)).toMatchObject({ bake: undefined, weights: { replacement: 5 } });
      });
    });

    describe('newestReason', () => {
      it('picks the newest reason of the deployment', () => {
        const records = chain([
          decision({ reason: 'first' }),
          decision({ reason: 'second' }),
          decision({ deploymentId: 'd-X', reason: 'other' }),
        ]).reverse();
        expect(newestReason(records, 'd-NEW')).toBe('second');
        expect(newestReason(records, 'd-NONE')).toBeUndefined();
      });

      it('prefers the failing decision over later bookkeeping records', () => {
        const records = chain([
          decision({ verdict: 'rollback', reason: 'canary 5xx 4.8% vs 0.3%' }),
          decision({ kind: 'event', verdict: 'restore', actor: 'guard', reason: 'deployment FAILURE: original already at 100%' }),
        ]).reverse();
        expect(newestReason(records, 'd-NEW')).toBe('canary 5xx 4.8% vs 0.3%');
      });
    });
  });
});
