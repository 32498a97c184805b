// The demo's research project as `npm run demo` builds it (same population, consents and
// approval), and the measurement the research gateway owes: how often a researcher's typical
// questions on it are refused. The questions go through the gateway as the routes call it; every
// one must be answered or refused for a protective reason, audited with its true cohort size and
// shown in the ethics board's report. The refusal rate is printed.
import assert from 'node:assert/strict';
import { makeTempDir } from '../helpers/temp-dir.ts';
import type { VaultService } from '../../vault/service/open-service.ts';
import type { DemoService } from '../../vault/demo/demo-service.ts';
import { buildDemoVault } from './demo-kit.ts';
import { printedQuestions, typicalQuestions, type TypicalQuestion } from '../../vault/demo/demo-research.ts';
import { ResearchError } from '../../research-gateway/research-error.ts';
import { BeaconQueryStringSchema } from '../../schemas/beacon.ts';

/** Refusals that protect the cohort; any other refusal of a typical question is a defect. */
const PROTECTIVE = ['differencing_refused', 'repeat_lockout', 'budget_exhausted'];

interface Outcome {
  question: TypicalQuestion;
  requestId: string;
  outcome: string;
  answer?: Record<string, unknown>;
}

async function ask(service: VaultService, demo: DemoService, question: TypicalQuestion, requestId: string): Promise<Outcome> {
  const caller = demo.callerOf('researcher', requestId);
  const projectId = demo.research.project.projectId;
  try {
    if (question.kind === 'cohort') {
      const answer = await service.research.cohortQuery(caller, projectId, question.query, 'json');
      return { question, requestId, outcome: 'answered', answer: answer.json };
    }
    const { requestedGranularity = 'boolean', ...parameters } = BeaconQueryStringSchema.parse(Object.fromEntries(new URLSearchParams(`${question.search}&datasetIds=${projectId}`)));
    const answer = await service.research.beaconQuery(caller, { parameters, requestedGranularity });
    return { question, requestId, outcome: 'answered', answer: answer as unknown as Record<string, unknown> };
  } catch (err) {
    if (err instanceof ResearchError) return { question, requestId, outcome: err.code };
    throw err;
  }
}

describe('the demo research project', function () {
  this.timeout(300_000);
  let dir: { path: string; remove: () => Promise<void> };
  let service: VaultService;
  let demo: DemoService;
  let outcomes: Outcome[];
  const questions = typicalQuestions();
  before(async () => {
    dir = await makeTempDir('genovault-demo-research-');
    ({ service, demo } = await buildDemoVault(dir.path));
    outcomes = [];
    for (const [i, question] of questions.entries()) outcomes.push(await ask(service, demo, question, `typical-${i}`));
  });
  after(async () => {
    await service?.close();
    await dir?.remove();
  });

  it('is approved for its researcher, with the consents DUO matching sent to review left out until the board decides', () => {
    assert.equal(demo.research.project.status, 'approved');
    assert.deepEqual(demo.research.project.members, [demo.callerOf('researcher').accountId]);
    assert.equal(demo.research.awaitingReview, 20, 'the 2 in 20 cohort patients whose consent requires collaboration');
  });

  it('answers most typical questions, refuses the rest only to protect the cohort, and reports the refusal rate', () => {
    const refused = outcomes.filter((o) => o.outcome !== 'answered');
    for (const o of refused) assert.ok(PROTECTIVE.includes(o.outcome), `${JSON.stringify(o.question)} refused: ${o.outcome}`);
    const rate = refused.length / outcomes.length;
    process.stdout.write(`      refusal rate of the demo's typical questions: ${refused.length} of ${outcomes.length} (${(rate * 100).toFixed(1)}%)`
      + `${refused.length ? `; ${refused.map((o) => `${o.outcome}: ${JSON.stringify(o.question.kind === 'cohort' ? o.question.query : o.question.search)}`).join('; ')}` : ''}\n`);
    assert.ok(rate <= 0.2, `at most one typical question in five refused (${(rate * 100).toFixed(1)}%)`);
    const counts = outcomes.filter((o) => o.outcome === 'answered' && o.question.kind === 'cohort' && o.question.query.level === 'count');
    assert.ok(counts.some((o) => typeof o.answer!.count === 'number'), 'some counts are above the threshold: the cohort is large enough to be useful');
  });

  it('gives a question asked again the very same answer, for no epsilon', () => {
    const firstOf = (q: TypicalQuestion) => outcomes[questions.indexOf(q)]!;
    const repeats = outcomes.filter((o, i) => questions.indexOf(o.question) !== i);
    assert.equal(repeats.length, 3);
    for (const again of repeats) {
      const first = firstOf(again.question);
      assert.equal(again.outcome, first.outcome);
      if (again.outcome !== 'answered') continue;
      assert.deepEqual({ ...again.answer, queryId: null, privacy: null }, { ...first.answer, queryId: null, privacy: null });
      assert.equal((again.answer!.privacy as { epsilonCharged: number }).epsilonCharged, 0);
    }
  });

  it('audits every question with its true cohort size, and shows each in the ethics board\u2019s report', async () => {
    const entries = await service.audit.query({ resource: 'cohort', limit: 10_000 });
    for (const o of outcomes) {
      const audited = entries.filter((e) => e.body.requestId === o.requestId && ['research.query', 'beacon.query'].includes(e.body.action));
      assert.equal(audited.length, 1, `one audit entry for ${o.requestId}`);
      assert.equal(audited[0]!.body.outcome, o.outcome);
      if (o.outcome !== 'repeat_lockout') assert.equal(typeof audited[0]!.body.counts?.true_cohort, 'number', `${o.requestId}: true cohort size audited`);
    }
    const report = await service.research.report(demo.callerOf('ethics_board'), demo.research.project.projectId);
    assert.equal(report.queries.total, outcomes.length);
    assert.equal(report.queries.answered, outcomes.filter((o) => o.outcome === 'answered').length);
    assert.ok(report.log.every((q) => q.outcome === 'repeat_lockout' || typeof q.trueSize === 'number'));
    // the first question counts the whole cohort: the 16 in 20 with general or health research consent (not DS breast cancer, not review, not none)
    assert.equal(report.log.at(-1)!.trueSize, 160);
    assert.ok(report.budget!.spent > 0 && report.budget!.spent <= report.budget!.epsilon);
    await assert.rejects(service.research.report(demo.callerOf('researcher'), demo.research.project.projectId), (err: ResearchError) => err.code === 'forbidden');
  });
});

describe('the research examples the demo prints', function () {
  this.timeout(300_000);

  it('asked in their printed order on the fresh project, are all answered (the aggregate again as Arrow), and the records answer lists rows', async () => {
    const dir = await makeTempDir('genovault-demo-printed-');
    const { service, demo } = await buildDemoVault(dir.path);
    try {
      for (const [i, question] of printedQuestions().entries()) {
        const o = await ask(service, demo, question, `printed-${i}`);
        assert.equal(o.outcome, 'answered', `${JSON.stringify(question)}: ${o.outcome}`);
        if (question.kind === 'cohort' && question.query.level === 'aggregate') {
          const arrow = await service.research.cohortQuery(demo.callerOf('researcher', `printed-${i}-arrow`), demo.research.project.projectId, question.query, 'arrow');
          assert.ok(arrow.arrow && arrow.arrow.byteLength > 0, 'the Arrow stream');
          assert.equal((arrow.json.privacy as { epsilonCharged: number }).epsilonCharged, 0, 'asked again: free');
        }
        if (question.kind === 'cohort' && question.query.level === 'records') assert.ok((o.answer!.records as unknown[]).length > 0, 'the records example shows rows');
      }
    } finally {
      await service.close();
      await dir.remove();
    }
  });
});
