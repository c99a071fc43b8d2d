// maslihat through node-postgres (npm pg, locked in package-lock.json
// beside this file), text mode.
//
// Run by test/sh/clients_node.sh, after npm ci into a temporary folder, as
//
//     NODE_PATH=TMP/node_modules node test/clients/node/client_pg.js ANSWERS_DIR
//
// with PGHOST, PGPORT, PGUSER and PGDATABASE naming a database that holds
// test/clients/fixture.sql.  ANSWERS_DIR holds each query of
// test/clients/queries.sql as NAME.sql and psql's answer as NAME.out (psql
// -X -A -t, NULL shown as \N).  Every query runs in the simple and in the
// extended protocol; every value must print as psql prints it and have the
// JavaScript type node-postgres gives its column's type.  tally::jsonb is
// read as parsed JSON and checked against the tally's text form.  Ends with
// "N passed, M failed".
'use strict';

const fs = require('fs');
const path = require('path');
const { Client, types } = require('pg');

let passed = 0;
let failed = 0;

function check(what, ok, detail) {
	if (ok) {
		passed++;
	} else {
		failed++;
		console.log(`FAILED: ${what}${detail ? ': ' + detail : ''}`);
	}
}

const INT8 = 20, INT4 = 23, TEXT = 25, BOOL = 16, NUMERIC = 1700, JSONB = 3802;

// The JavaScript type node-postgres gives each type in text mode: bigint
// and numeric stay strings (no precision lost), int4 is a number.
const JS_TYPE = {
	[INT8]: 'string', [INT4]: 'number', [TEXT]: 'string', [BOOL]: 'boolean',
	[NUMERIC]: 'string', [JSONB]: 'object',
};

// outcome()'s 17 columns and their types, in order (README, "The rules").
const OUTCOME_COLUMNS = [
	['winner', INT8], ['winner_votes', INT8], ['runner_up', INT8],
	['runner_up_votes', INT8], ['margin', INT8], ['valid_votes', INT8],
	['invalid', INT8], ['cast', INT8], ['registered', INT8],
	['turnout', NUMERIC], ['valid', BOOL], ['tie', BOOL],
	['by_election', BOOL], ['reason', TEXT], ['leader', INT8],
	['candidates', INT4], ['drawn', BOOL],
];

// The text psql -A prints for a value node-postgres returned.
function asPsql(v) {
	if (v === null) return '\\N';
	if (typeof v === 'boolean') return v ? 't' : 'f';
	return String(v);
}

// A tally's text form as exact numbers (BigInt).
function parseTallyText(text) {
	const f = {};
	for (const m of text.matchAll(/(registered|cast|invalid|votes)=(\{[^}]*\}|\S+)/g)) f[m[1]] = m[2];
	const votes = (f.votes || '{}').slice(1, -1).split(',').filter(Boolean).map((p) => {
		const [c, v] = p.split(':');
		return { candidate: BigInt(c), votes: BigInt(v) };
	});
	return {
		registered: f.registered === undefined ? null : BigInt(f.registered),
		cast: BigInt(f.cast),
		invalid: BigInt(f.invalid || '0'),
		votes,
	};
}

// jsonb text with every number kept exact: numbers become BigInt.  The
// tally's jsonb has integers, keys and null only.
function parseJsonExact(text) {
	return JSON.parse(text.replace(/(?<=[:\[,]\s*)(-?\d+)(?=\s*[,}\]])/g, '"$1n"'),
		(k, v) => (typeof v === 'string' && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v));
}

// Whether a parsed tally jsonb has exactly the tally's numbers.
function sameNumbers(doc, t) {
	const same = (x, y) => (x === null ? y === null
		: y !== null && (typeof x === 'bigint' ? x === y : Number.isSafeInteger(x) && BigInt(x) === y));
	return same(doc.registered, t.registered) && same(doc.cast, t.cast) && same(doc.invalid, t.invalid) &&
		Array.isArray(doc.votes) && doc.votes.length === t.votes.length &&
		doc.votes.every((p, i) => same(p.candidate, t.votes[i].candidate) && same(p.votes, t.votes[i].votes)) &&
		Object.keys(doc).sort().join() === 'cast,invalid,registered,votes';
}

function compare(what, result, expected, textOids) {
	const fields = result.fields.map((f) => [f.name, f.dataTypeID]);
	check(`${what}: ${expected.length} rows as psql`, result.rows.length === expected.length,
		`got ${result.rows.length}`);
	let bad = 0;
	result.rows.forEach((row, r) => {
		if (r >= expected.length) return;
		const psql = expected[r].split('|');
		if (psql.length !== row.length) {
			bad++;
			console.log(`  ${what} row ${r + 1}: ${row.length} columns, psql has ${psql.length}`);
			return;
		}
		fields.forEach(([name, oid], i) => {
			const v = row[i];
			let same;
			if (oid === JSONB && v !== null) {
				// both sides parsed the same way; exactness is checked below
				same = JSON.stringify(v) === JSON.stringify(JSON.parse(psql[i]));
			} else {
				same = asPsql(v) === psql[i];
			}
			const want = textOids.has(oid) ? 'string' : JS_TYPE[oid];
			const typed = v === null || (want !== undefined && typeof v === want);
			if (!(same && typed)) {
				bad++;
				console.log(`  ${what} row ${r + 1} ${name}: node-postgres ${JSON.stringify(v)} ` +
					`(${typeof v}), psql ${psql[i]}`);
			}
		});
	});
	check(`${what}: every value equals psql's and has its column's JavaScript type`, bad === 0,
		`${bad} values differ`);
	return fields;
}

async function main() {
	const answers = process.argv[2];
	const names = fs.readFileSync(path.join(answers, 'names'), 'utf8').split(/\s+/).filter(Boolean);
	const client = new Client();
	await client.connect();

	// The extension's types have no parser in node-postgres: their text form
	// arrives as a string.
	const oids = await client.query("SELECT 'tally'::regtype::oid::int AS t, 'fptp_outcome'::regtype::oid::int AS o");
	const textOids = new Set([oids.rows[0].t, oids.rows[0].o]);

	const results = {};
	for (const name of names) {
		const sql = fs.readFileSync(path.join(answers, `${name}.sql`), 'utf8');
		const expected = fs.readFileSync(path.join(answers, `${name}.out`), 'utf8').split('\n').filter((l) => l !== '');
		// simple protocol, then extended protocol with a named statement
		const simple = await client.query({ text: sql, rowMode: 'array' });
		const fields = compare(`${name} (simple protocol)`, simple, expected, textOids);
		const extended = await client.query({ name: `q_${name}`, text: sql, rowMode: 'array' });
		compare(`${name} (extended protocol)`, extended, expected, textOids);
		results[name] = { fields, rows: simple.rows, sql, expected };
	}

	// outcome()'s columns as node-postgres describes them
	const ob = results.outcome_ballots;
	check('outcome_ballots: the 17 columns of outcome() with their types',
		JSON.stringify(ob.fields.slice(2)) === JSON.stringify(OUTCOME_COLUMNS), JSON.stringify(ob.fields));
	console.log('columns of outcome_ballots as node-postgres sees them (name, dataTypeID, typeof of a value):');
	ob.fields.forEach(([name, oid], i) => {
		const kinds = [...new Set(ob.rows.map((row) => (row[i] === null ? 'null' : typeof row[i])))].sort();
		console.log(`  ${name.padEnd(16)} ${String(oid).padStart(5)} ${kinds.join('/')}`);
	});
	const first = await client.query(`SELECT * FROM (${ob.sql.trim().replace(/;$/, '')}) q LIMIT 1`);
	console.log('  first row:', JSON.stringify(first.rows[0]));

	console.log('ranking rows of constituencies 3 and 7:',
		JSON.stringify(results.ranking.rows.filter((row) => row[0] === 3 || row[0] === 7)));

	// tally::jsonb, parsed by node-postgres with JSON.parse, against the
	// tally's text form.  Counts above 2^53 - 1 cannot survive JSON.parse.
	const tallies = results.tallies;
	console.log('columns of tallies: ' + tallies.fields.map(([n, oid], i) => `${n} ${oid} ${typeof tallies.rows[0][i]}`).join(', '));
	console.log('  row 6 stations_json:', JSON.stringify(tallies.rows[5][3]));
	const inexact = [];
	for (const row of tallies.rows) {
		const t = parseTallyText(row[2]);
		const exact = [t.registered, t.cast, t.invalid, ...t.votes.flatMap((p) => [p.candidate, p.votes])]
			.every((n) => n === null || (n <= BigInt(Number.MAX_SAFE_INTEGER)));
		if (sameNumbers(row[3], t)) {
			check(`tally ${row[0]}: JSON.parse of its jsonb has the text form's numbers`, exact, 'unexpectedly exact');
		} else {
			inexact.push(row[0]);
		}
	}
	check('only the tally with counts above 2^53 - 1 (constituency 6) loses digits in JSON.parse',
		inexact.join() === '6', `inexact: ${inexact.join()}`);

	// The remedy: read jsonb as its text and parse numbers as BigInt.
	const raw = await client.query({
		text: 'SELECT id, t, t::jsonb AS j FROM constituency_tally ORDER BY id',
		rowMode: 'array',
		types: { getTypeParser: (oid, format) => (oid === JSONB ? (s) => s : types.getTypeParser(oid, format)) },
	});
	check('tally::jsonb read as text and parsed with BigInt has every tally\'s numbers exactly',
		raw.rows.length === 7 && raw.rows.every((row) => sameNumbers(parseJsonExact(row[2]), parseTallyText(row[1]))));

	// bigint as BigInt, numeric kept a string: every value still psql's
	const os = results.outcome_stations;
	const big = await client.query({
		text: os.sql,
		rowMode: 'array',
		types: { getTypeParser: (oid, format) => (oid === INT8 ? BigInt : types.getTypeParser(oid, format)) },
	});
	const bad = big.rows.flatMap((row, r) => row.filter((v, i) =>
		asPsql(v) !== os.expected[r].split('|')[i] ||
		(v !== null && os.fields[i][1] === INT8 && typeof v !== 'bigint')));
	check('outcome_stations with bigint parsed as BigInt: every value equals psql\'s', bad.length === 0,
		JSON.stringify(bad.map(String)));

	// a tally sent as a parameter in its text form
	const sent = await client.query('SELECT $1::tally = t AS same FROM constituency_tally WHERE id = 6',
		['registered=9007199254740993 cast=4503599627370497 invalid=1 votes={62:1125899906842872,61:3377699720527624}']);
	check('a tally sent as a text parameter equals the stored one', sent.rows[0].same === true);

	await client.end();
	console.log(`${passed} passed, ${failed} failed`);
	return failed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => {
	console.log(`FAILED: ${err.stack || err}`);
	console.log(`${passed} passed, ${failed + 1} failed`);
	process.exit(1);
});
