'use strict';
// The maslihat npm package (clients/node) against a running server, with
// node-postgres (pg) and postgres.js (postgres).
//
// Run by test/sh/clients_node.sh as
//   node test/clients/node/client_adapters.js
// with NODE_PATH naming node_modules that hold pg, postgres and maslihat
// (npm install of the folder), PG* naming a database that holds
// fixture.sql and edge.sql (edge_text.sql too when TEXT_KEYS=1,
// edge_trailer.sql when TRAILERS=1), and PSQL_BIN naming psql.  Every
// tally, tally[], fptp_outcome, election_summary and
// maslihat_level arrives as the package's value, equal to psql's answer;
// every tally goes back as a parameter and the server finds it equal to
// its own; the binary codec equals the server's tally_send byte for byte;
// the codecs against byte strings built from the specification; and the
// trailer's fields (blank, issued, parts, provisional) by value, their
// canonical form and their bounds.
// Ends with "N passed, M failed".

const { execFileSync } = require('child_process');
const { Tally } = require('maslihat');
const maslihat = require('maslihat');

let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
	if (ok) passed++;
	else {
		failed++;
		console.log(`FAILED: ${what}${detail ? ': ' + detail : ''}`);
	}
}

function psql(sql) {
	const out = execFileSync(process.env.PSQL_BIN || 'psql',
		['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-P', 'null=\\N', '-F', '\x1f', '-c', sql], { encoding: 'utf8' });
	return out.split('\n').filter((l) => l !== '').map((l) => l.split('\x1f').map((f) => (f === '\\N' ? null : f)));
}

function asPsql(v) {
	if (v === null) return null;
	if (typeof v === 'boolean') return v ? 't' : 'f';
	return String(v);
}

const EDGE_SQL = 'SELECT id, t FROM edge ORDER BY id';
const EDGE = psql(EDGE_SQL);
const EDGE_TALLIES = EDGE.map(([, t]) => (t === null ? null : Tally.fromText(t)));
const SEND = psql('SELECT id, encode(tally_send(t), \'hex\') FROM edge ORDER BY id');
const OUTCOME_SQL = "SELECT id, outcome(t, registered, 'kz1994') AS o FROM constituency_tally ORDER BY id";
const OUTCOME_PSQL = psql("SELECT id, (outcome(t, registered, 'kz1994')).* FROM constituency_tally ORDER BY id");
const SUMMARY_SQL = "SELECT election_summary(t, registered, 'kz1994') AS s FROM constituency_tally";
const SUMMARY_PSQL = psql("SELECT (election_summary(t, registered, 'kz1994')).* FROM constituency_tally");
const attributes = (type) => psql(`SELECT attname FROM pg_attribute WHERE attrelid = (SELECT typrelid FROM pg_type WHERE oid = '${type}'::regtype) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`).map((r) => r[0]);
const OUTCOME_FIELDS = attributes('fptp_outcome');
// every edge tally's outcome under no rule: number keys, text keys, 64-bit counts
const EDGE_OUTCOME_SQL = "SELECT id, outcome(t, 'none') AS o FROM edge WHERE t IS NOT NULL ORDER BY id";
const EDGE_OUTCOME_PSQL = psql("SELECT id, (outcome(t, 'none')).* FROM edge WHERE t IS NOT NULL ORDER BY id");
function checkEdgeOutcomes(label, rows) {
	const bad = rows.filter(([id, o], i) => JSON.stringify([String(id), ...Object.values(o).map(asPsql)]) !== JSON.stringify(EDGE_OUTCOME_PSQL[i]));
	check(`${label}: the edge tallies' outcomes (text keys too) equal psql's`, rows.length === EDGE_OUTCOME_PSQL.length && bad.length === 0,
		JSON.stringify(bad.slice(0, 2), (k, v) => (typeof v === 'bigint' ? String(v) : v)));
}
const SUMMARY_FIELDS = attributes('election_summary');

const sameTallies = (a, b) => a.length === b.length && a.every((t, i) => (t === null ? b[i] === null : t.equals(b[i])));

// The trailer's fields of edge_trailer.sql's rows, as tally_out reads them
// (blank is 0 and known when invalid is 0).
const MAX = 9223372036854775807n;
const TRAILER_ROWS = [
	[201, { blank: 1n, issued: 625n, parts: 1n, provisional: 1n }],
	[202, { blank: 3n, issued: null, parts: 0n, provisional: 0n }],
	[203, { blank: 0n, issued: MAX, parts: 0n, provisional: 0n }],
	[204, { blank: 9007199254740993n, issued: MAX, parts: 0n, provisional: 0n }],
	[205, { blank: 0n, issued: null, parts: MAX, provisional: MAX }],
	[206, { blank: 0n, issued: null, parts: 2n, provisional: 0n }],
	[207, { blank: 0n, issued: 452n, parts: 3n, provisional: 2n }],
];
const trailerOf = (t) => ({ blank: t.blank, issued: t.issued, parts: t.parts, provisional: t.provisional });
const show = (v) => JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? String(x) : x));

function checkTrailerRows(label, edgeRows) {
	if (process.env.TRAILERS !== '1') return;
	const byId = new Map(edgeRows.map(([id, t]) => [Number(id), t]));
	const bad = TRAILER_ROWS.filter(([id, want]) => {
		const t = byId.get(id);
		return !(t instanceof Tally) || show(trailerOf(t)) !== show(want);
	}).map(([id]) => [id, byId.get(id) instanceof Tally ? trailerOf(byId.get(id)) : byId.get(id)]);
	check(`${label}: the trailer's fields of rows 201-207 (blank, issued, parts, provisional)`, bad.length === 0, show(bad));
	const t = byId.get(207);
	check(`${label}: row 207 keeps blank=0 with invalid 12, text keys and parts`,
		t instanceof Tally && t.keyKind === 'text' && t.invalid === 12n && t.blank === 0n && (t.toBinary()[1] & 0x04) !== 0 &&
		t.toText() === 'registered=900 issued=452 cast=450 invalid=12 blank=0 votes={"Smith \\"Jr\\"":198,"Жасыл":240} parts=3 provisional=2',
		t && t.toText());
}

function checkAll(label, edgeRows, array, outcomes, summary, level) {
	const bad = edgeRows.filter(([id, v], i) => !((v === null && EDGE[i][1] === null) || (v instanceof Tally && v.toText() === EDGE[i][1])));
	check(`${label}: ${EDGE.length} edge tallies arrive as Tally equal to psql's`, edgeRows.length === EDGE.length && bad.length === 0, JSON.stringify(bad.slice(0, 2)));
	checkTrailerRows(label, edgeRows);
	check(`${label}: tally[] arrives as an array of Tally and null`, Array.isArray(array) && sameTallies(array, EDGE_TALLIES));
	let badOutcomes = 0;
	outcomes.forEach(([id, o], i) => {
		const got = [String(id), ...Object.values(o).map(asPsql)];
		const typed = Object.entries(o).every(([k, v]) => v === null || ['bigint', 'boolean', 'string', 'number'].includes(typeof v));
		if (JSON.stringify(Object.keys(o)) !== JSON.stringify(OUTCOME_FIELDS) || JSON.stringify(got) !== JSON.stringify(OUTCOME_PSQL[i]) || !typed) {
			badOutcomes++;
			console.log(`  ${label} outcome ${id}: ${JSON.stringify(got)} psql ${JSON.stringify(OUTCOME_PSQL[i])}`);
		}
	});
	check(`${label}: fptp_outcome arrives with the catalog's ${OUTCOME_FIELDS.length} fields, each equal to psql's`, badOutcomes === 0 && outcomes.length === OUTCOME_PSQL.length);
	check(`${label}: election_summary arrives with its fields equal to psql's`,
		JSON.stringify(Object.keys(summary)) === JSON.stringify(SUMMARY_FIELDS) && JSON.stringify(Object.values(summary).map(asPsql)) === JSON.stringify(SUMMARY_PSQL[0]));
	const six = outcomes[5][1];
	check(`${label}: bigint fields are exact BigInts (9007199254740993), numeric a string of psql's digits`,
		six.registered === 9007199254740993n && six.turnout === '50.0000000000000056', `${six.registered} ${six.turnout}`);
	check(`${label}: maslihat_level arrives as its label`, JSON.stringify(level) === JSON.stringify(['city', ['district', 'city', 'regional']]), JSON.stringify(level));
}

async function testPg() {
	const { Client, Pool } = require('pg');
	const plain = new Client();
	await plain.connect();
	let r = await plain.query("SELECT t, outcome(t, 'kz1994') AS o, ARRAY[t] AS a FROM edge WHERE id = 2");
	check('node-postgres without the package: tally, fptp_outcome, tally[] are strings',
		Object.values(r.rows[0]).every((v) => typeof v === 'string'), JSON.stringify(r.rows[0]));
	r = await plain.query("SELECT 'city'::maslihat_level AS l, 9007199254740993::int8 AS b, 50.0000000000000056::numeric AS n");
	check('node-postgres without the package: maslihat_level, bigint and numeric are strings, exact',
		JSON.stringify(r.rows[0]) === '{"l":"city","b":"9007199254740993","n":"50.0000000000000056"}', JSON.stringify(r.rows[0]));
	r = await plain.query({ text: "SELECT -1::int8 AS a, 200::int4 AS b, 1.5::numeric AS c, 50.0000000000000056::numeric AS d, t FROM edge WHERE id = 2", binary: true, queryMode: 'extended' });
	const row = r.rows[0];
	console.log('node-postgres binary: true:', JSON.stringify({ ...row, t: Buffer.from(row.t, 'latin1').length + ' chars' }));
	check('node-postgres binary: true corrupts values (a driver bug): int8 -1, int4 200 and numeric come back wrong',
		row.a !== '-1' && row.b !== 200 && row.d !== '50.0000000000000056', JSON.stringify(row));
	await plain.end();

	const client = new Client();
	await client.connect();
	await maslihat.pg.registerTypes(client);
	for (const queryMode of ['simple', 'extended']) {
		const label = `node-postgres ${queryMode} protocol`;
		const q = (text, values) => client.query(queryMode === 'extended' ? { text, values, queryMode } : text);
		const edge = (await q(EDGE_SQL)).rows.map((x) => [x.id, x.t]);
		const array = (await q('SELECT array_agg(t ORDER BY id) AS a FROM edge')).rows[0].a;
		const outcomes = (await q(OUTCOME_SQL)).rows.map((x) => [x.id, x.o]);
		const summary = (await q(SUMMARY_SQL)).rows[0].s;
		const lv = (await q("SELECT 'city'::maslihat_level AS l, enum_range(NULL::maslihat_level) AS r")).rows[0];
		checkAll(label, edge, array, outcomes, summary, [lv.l, lv.r]);
		checkEdgeOutcomes(label, (await q(EDGE_OUTCOME_SQL)).rows.map((x) => [x.id, x.o]));
	}
	let bad = 0;
	for (let i = 0; i < EDGE.length; i++) {
		const t = EDGE_TALLIES[i];
		const x = (await client.query('SELECT $1::tally::text AS text, e.t IS NOT DISTINCT FROM $1::tally AS same FROM edge e WHERE id = $2', [t, Number(EDGE[i][0])])).rows[0];
		if (!x.same || x.text !== (t === null ? null : t.toText())) bad++;
	}
	check('node-postgres: every edge tally sent back as a parameter equals the server\'s', bad === 0);
	await client.end();

	const pool = new Pool({ max: 2 });
	await maslihat.pg.registerTypes(pool);
	const t = (await pool.query('SELECT t FROM edge WHERE id = 1')).rows[0].t;
	check('node-postgres Pool: registerTypes(pool) gives its clients the parsers', t instanceof Tally && t.equals(EDGE_TALLIES[0]));
	await pool.end();
}

async function testPostgresJs() {
	const postgres = require('postgres');
	const plain = postgres({ onnotice: () => {} });
	const [p] = await plain`SELECT t, outcome(t, 'kz1994') AS o FROM edge WHERE id = 2`;
	check('postgres.js without the package: tally and fptp_outcome are strings',
		typeof p.t === 'string' && typeof p.o === 'string', JSON.stringify(p));
	const [q] = await plain`SELECT 'city'::maslihat_level AS l, 9007199254740993::int8 AS b, 50.0000000000000056::numeric AS n, t::jsonb AS j FROM edge WHERE id = 2`;
	check('postgres.js without the package: maslihat_level, bigint and numeric are strings, exact; jsonb counts above 2^53 round',
		JSON.stringify({ l: q.l, b: q.b, n: q.n }) === '{"l":"city","b":"9007199254740993","n":"50.0000000000000056"}' && q.j.registered === 9007199254740992,
		JSON.stringify(q));
	await plain.end();

	const sql = postgres({ onnotice: () => {} });
	await maslihat.postgres.registerTypes(sql);
	const edge = (await sql.unsafe(EDGE_SQL)).map((x) => [x.id, x.t]);
	const [{ a }] = await sql.unsafe('SELECT array_agg(t ORDER BY id) AS a FROM edge');
	const outcomes = (await sql.unsafe(OUTCOME_SQL)).map((x) => [x.id, x.o]);
	const [{ s }] = await sql.unsafe(SUMMARY_SQL);
	const [lv] = await sql`SELECT 'city'::maslihat_level AS l, enum_range(NULL::maslihat_level) AS r`;
	checkAll('postgres.js', edge, a, outcomes, s, [lv.l, lv.r]);
	checkEdgeOutcomes('postgres.js', (await sql.unsafe(EDGE_OUTCOME_SQL)).map((x) => [x.id, x.o]));
	let bad = 0;
	for (let i = 0; i < EDGE.length; i++) {
		const t = EDGE_TALLIES[i];
		const [x] = await sql`SELECT ${t}::tally::text AS text, e.t IS NOT DISTINCT FROM ${t}::tally AS same FROM edge e WHERE id = ${Number(EDGE[i][0])}`;
		if (!x.same || x.text !== (t === null ? null : t.toText())) bad++;
	}
	check('postgres.js: every edge tally sent back as a parameter equals the server\'s', bad === 0);
	await sql.end();
}

function testCodecs() {
	// the binary codec equals the server's tally_send, both ways
	let bad = 0;
	SEND.forEach(([id, hex], i) => {
		const t = EDGE_TALLIES[i];
		if (hex === null) return;
		if (t.toBinary().toString('hex') !== hex || !Tally.fromBinary(Buffer.from(hex, 'hex')).equals(t)) bad++;
	});
	check('binary form: every edge tally encodes to the server\'s tally_send bytes and decodes back', bad === 0);
	const head = (flags, reg, cast, inv, n) => {
		const b = Buffer.alloc(30);
		b[0] = 1; b[1] = flags; b.writeBigInt64BE(reg, 2); b.writeBigInt64BE(cast, 10); b.writeBigInt64BE(inv, 18); b.writeUInt32BE(n, 26);
		return b;
	};
	const i64 = (v) => { const b = Buffer.alloc(8); b.writeBigInt64BE(v); return b; };
	const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b; };
	let t = Tally.fromText('registered=1000 cast=620 invalid=3 votes={17:300,42:317}');
	const spec = Buffer.concat([head(1, 1000n, 620n, 3n, 2), i64(17n), i64(300n), i64(42n), i64(317n)]);
	check('binary form: bigint keys byte for byte as the specification', t.toBinary().equals(spec) && Tally.fromBinary(spec).equals(t));
	t = Tally.fromText('cast=620 votes={"Jones":317,"Smith \\"Jr\\"":300}');
	check('text keys: the specification\'s example reads and writes back',
		t.keyKind === 'text' && t.votes.get('Smith "Jr"') === 300n && t.toText() === 'cast=620 invalid=0 votes={"Jones":317,"Smith \\"Jr\\"":300}', t.toText());
	const tspec = Buffer.concat([head(2, 0n, 620n, 0n, 2), u32(5), Buffer.from('Jones'), i64(317n), u32(10), Buffer.from('Smith "Jr"'), i64(300n)]);
	check('text keys: binary form byte for byte as the specification', t.toBinary().equals(tspec) && Tally.fromBinary(tspec).equals(t), t.toBinary().toString('hex'));
	const awkward = ['', '"', '\\', '{}', ',', ':', '10', '9', 'Жасыл', 'Әділет', 'a b'];
	const a = new Tally({ votes: awkward.map((k, i) => [k, BigInt(i + 1)]), registered: 9223372036854775807n });
	const order = [...a.votes.keys()];
	check('text keys: ascending bytewise on UTF-8', JSON.stringify(order) === JSON.stringify(['', '"', ',', '10', '9', ':', '\\', 'a b', '{}', 'Жасыл', 'Әділет']), JSON.stringify(order));
	check('text keys: awkward keys survive text and binary', Tally.fromText(a.toText()).equals(a) && Tally.fromBinary(a.toBinary()).equals(a), a.toText());
	const good = new Tally({ votes: [[1n, 2n]], registered: 5n }).toBinary();
	const cases = [['unknown flag 0x20', Buffer.concat([good.subarray(0, 1), Buffer.from([good[1] | 0x20]), good.subarray(2)])],
		['version 2', Buffer.concat([Buffer.from([2]), good.subarray(1)])], ['a trailing byte', Buffer.concat([good, Buffer.from([0])])],
		['one byte short', good.subarray(0, good.length - 1)], ['a short header', good.subarray(0, 20)], ['a text key cut short', tspec.subarray(0, tspec.length - 9)]];
	for (const [what, blob] of cases) {
		let refused = false;
		try { Tally.fromBinary(blob); } catch (e) { refused = e instanceof RangeError; }
		check(`binary form with ${what} is refused`, refused);
	}
	const big = Tally.fromText('registered=9223372036854775807 cast=9007199254740993 votes={-9223372036854775808:9007199254740993}');
	check('64-bit counts are exact BigInts', big.registered === 9223372036854775807n && big.votes.get(-9223372036854775808n) === 9007199254740993n);
	testTrailerCodecs(head, i64);
}

// refused(f, kind, pattern): f throws an error of that class whose message matches
function refused(f, kind, pattern) {
	try { f(); } catch (e) { return e instanceof kind && pattern.test(e.message) ? true : e.message; }
	return 'accepted';
}

function testTrailerCodecs(head, i64) {
	// the specification's examples, exactly as the server prints them
	const examples = [
		'registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300,42:317} parts=1 provisional=1',
		'cast=620 invalid=3 blank=3 votes={17:300,42:317}',
		'issued=9223372036854775807 cast=9007199254740993 invalid=0 votes={1:9007199254740993}',
		'cast=0 invalid=0 votes={} parts=2 provisional=0',
		'registered=900 issued=452 cast=450 invalid=12 blank=0 votes={"Smith \\"Jr\\"":198,"Жасыл":240} parts=3 provisional=2',
	];
	const back = examples.map((s) => Tally.fromText(s).toText());
	check('trailer: the specification\'s text examples read and write back as they are', show(back) === show(examples), show(back));
	let t = Tally.fromText(examples[0]);
	check('trailer: fields of the first example', show(trailerOf(t)) === show({ blank: 1n, issued: 625n, parts: 1n, provisional: 1n }) && t.registered === 1000n, show(trailerOf(t)));
	check('trailer: the text parser takes the fields in any order',
		Tally.fromText('parts=1 provisional=1 votes={42:317,17:300} blank=1 invalid=3 cast=620 issued=625 registered=1000').toText() === examples[0]);
	check('trailer: parts without provisional is provisional 0', Tally.fromText('cast=5 invalid=2 blank=1 votes={1:3} parts=2').toText() === 'cast=5 invalid=2 blank=1 votes={1:3} parts=2 provisional=0');
	check('trailer: parts=0 provisional=0 writes no parts', Tally.fromText('cast=0 parts=0 provisional=0').toText() === 'cast=0 invalid=0 votes={}');
	const spec = Buffer.concat([head(0x1d, 1000n, 620n, 3n, 2), i64(17n), i64(300n), i64(42n), i64(317n), i64(1n), i64(625n), i64(1n), i64(1n)]);
	check('trailer: binary form byte for byte as the specification (blank, issued, parts, provisional after the candidates)',
		t.toBinary().equals(spec) && Tally.fromBinary(spec).equals(t), t.toBinary().toString('hex'));
	check('trailer: toJSON adds issued, blank, parts, provisional as strings',
		JSON.stringify(t) === '{"registered":"1000","cast":"620","invalid":"3","votes":[{"candidate":"17","votes":"300"},{"candidate":"42","votes":"317"}],"issued":"625","blank":"1","parts":"1","provisional":"1"}',
		JSON.stringify(t));
	check('trailer: a tally without one has toJSON\'s 0.1.0 keys', JSON.stringify(Object.keys(new Tally({ invalid: 3n }).toJSON())) === '["registered","cast","invalid","votes"]');

	// the value object: defaults, numbers accepted, equality
	const plain = new Tally({ votes: [[1n, 2n]], invalid: 3n });
	check('trailer: defaults are blank and issued unknown, parts and provisional 0',
		plain.blank === null && plain.issued === null && plain.parts === 0n && plain.provisional === 0n && plain.toText() === 'cast=5 invalid=3 votes={1:2}');
	const n = new Tally({ votes: [[1, 2]], invalid: 3, registered: 9, blank: 1, issued: 6, parts: 2, provisional: 1 });
	check('trailer: safe-integer numbers are accepted as BigInt',
		n.blank === 1n && n.issued === 6n && n.parts === 2n && n.provisional === 1n && n.toText() === 'registered=9 issued=6 cast=5 invalid=3 blank=1 votes={1:2} parts=2 provisional=1', n.toText());
	const differ = [{ blank: 1n }, { blank: 0n }, { issued: 5n }, { parts: 1n }, { parts: 1n, provisional: 1n }]
		.filter((x) => new Tally({ votes: [[1n, 2n]], invalid: 3n, ...x }).equals(plain));
	check('trailer: equals tells blank, issued, parts and provisional apart', differ.length === 0, show(differ));

	// canonical rule: with invalid 0, blank is 0, known, and not written
	const zero = [new Tally({ votes: [[1n, 2n]] }), new Tally({ votes: [[1n, 2n]], blank: 0n }), new Tally({ votes: [[1n, 2n]], blank: null }), Tally.fromText('cast=2 blank=0 votes={1:2}')];
	check('trailer: invalid 0 with blank given (0) or unknown: blank 0, no blank written, no flag 0x04, 0.1.0 bytes',
		zero.every((z) => z.blank === 0n && z.toText() === 'cast=2 invalid=0 votes={1:2}' && z.toBinary().equals(Buffer.concat([head(0, 0n, 2n, 0n, 1), i64(1n), i64(2n)])) && z.equals(zero[0])),
		show(zero.map((z) => [z.blank, z.toText()])));
	t = new Tally({ votes: [[1n, 2n]], invalid: 12n, blank: 0n });
	check('trailer: invalid 12 with blank 0 writes blank=0 and flag 0x04',
		t.toText() === 'cast=14 invalid=12 blank=0 votes={1:2}' && (t.toBinary()[1] & 0x04) !== 0 && Tally.fromBinary(t.toBinary()).equals(t), t.toText());

	// errors: the value object, the text form and the binary form
	const errors = [
		['blank > invalid', () => new Tally({ invalid: 3n, blank: 4n }), RangeError, /blank \(4\) exceeds invalid \(3\)/],
		['blank with invalid 0', () => new Tally({ blank: 1n }), RangeError, /blank/],
		['blank negative', () => new Tally({ invalid: 3n, blank: -1n }), RangeError, /blank/],
		['provisional > parts', () => new Tally({ parts: 1n, provisional: 2n }), RangeError, /provisional \(2\) exceeds parts \(1\)/],
		['provisional without parts', () => new Tally({ provisional: 1n }), RangeError, /provisional/],
		['issued > registered', () => new Tally({ registered: 10n, issued: 11n }), RangeError, /issued \(11\) exceeds registered \(10\)/],
		['issued beyond int64', () => new Tally({ issued: MAX + 1n }), RangeError, /issued/],
		['text: blank > invalid', () => Tally.fromText('cast=5 invalid=3 blank=4 votes={1:2}'), RangeError, /blank/],
		['text: blank=1 with invalid 0', () => Tally.fromText('cast=0 blank=1'), RangeError, /blank/],
		['text: provisional > parts', () => Tally.fromText('cast=0 parts=1 provisional=2'), RangeError, /provisional/],
		['text: issued > registered', () => Tally.fromText('registered=10 issued=11 cast=5 votes={1:5}'), RangeError, /issued/],
		['text: issued negative', () => Tally.fromText('issued=-1 cast=0'), RangeError, /issued/],
		['text: parts beyond int64', () => Tally.fromText('cast=0 parts=9223372036854775808'), RangeError, /parts/],
		['text: a repeated field', () => Tally.fromText('cast=0 blank=0 blank=0'), SyntaxError, /repeated field blank/],
		['text: an escape other than \\" and \\\\ (as the server: "a\\n" is not "an")', () => Tally.fromText('cast=1 votes={"a\\n":1}'), SyntaxError, /only \\" and \\\\ may be escaped in a key, not \\n/],
		['text: a Unicode escape', () => Tally.fromText('cast=1 votes={"a\\u0041":1}'), SyntaxError, /not \\u/],
		['text: an unknown field', () => Tally.fromText('cast=0 spoilt=1'), SyntaxError, /unknown field "spoilt"/],
		['binary: unknown flag 0x20', () => Tally.fromBinary(head(0x20, 0n, 0n, 0n, 0)), RangeError, /flags 0x20/],
		['binary: registered without flag 0x01', () => Tally.fromBinary(head(0x00, 5n, 0n, 0n, 0)), RangeError, /no flag 0x01/],
		['binary: the text-key flag without candidates', () => Tally.fromBinary(head(0x02, 0n, 0n, 0n, 0)), RangeError, /no candidates/],
		['binary: flag 0x04 with invalid 0', () => Tally.fromBinary(Buffer.concat([head(0x04, 0n, 0n, 0n, 0), i64(0n)])), RangeError, /invalid 0/],
		['binary: flag 0x10 with parts 0', () => Tally.fromBinary(Buffer.concat([head(0x10, 0n, 0n, 0n, 0), i64(0n), i64(0n)])), RangeError, /parts 0/],
		['binary: blank > invalid', () => Tally.fromBinary(Buffer.concat([head(0x04, 0n, 5n, 3n, 0), i64(4n)])), RangeError, /blank/],
		['binary: blank negative', () => Tally.fromBinary(Buffer.concat([head(0x04, 0n, 5n, 3n, 0), i64(-1n)])), RangeError, /blank/],
		['binary: issued > registered', () => Tally.fromBinary(Buffer.concat([head(0x09, 10n, 5n, 0n, 0), i64(11n)])), RangeError, /issued/],
		['binary: provisional > parts', () => Tally.fromBinary(Buffer.concat([head(0x10, 0n, 0n, 0n, 0), i64(1n), i64(2n)])), RangeError, /provisional/],
		['binary: the trailer cut short', () => Tally.fromBinary(spec.subarray(0, spec.length - 8)), RangeError, /trailer/],
		['binary: a flag without its trailer', () => Tally.fromBinary(Buffer.concat([head(0x08, 0n, 0n, 0n, 0)])), RangeError, /trailer/],
		['binary: a byte after the trailer', () => Tally.fromBinary(Buffer.concat([spec, Buffer.from([0])])), RangeError, /after/],
		// the counts' bounds and text keys, as the server's
		['votes + invalid > cast', () => new Tally({ votes: [[1n, 2n]], invalid: 1n, cast: 2n }), RangeError, /votes \(2\) plus invalid \(1\) exceed cast \(2\)/],
		['cast > registered', () => new Tally({ votes: [[1n, 2n]], registered: 1n }), RangeError, /cast \(2\) exceeds registered \(1\)/],
		['a key with an unpaired high surrogate', () => new Tally({ votes: [['a\uD800', 1n]] }), RangeError, /unpaired surrogate/],
		['a key with an unpaired low surrogate', () => new Tally({ votes: [['\uDC00b', 1n]] }), RangeError, /unpaired surrogate/],
		['text: votes + invalid > cast', () => Tally.fromText('cast=2 invalid=1 votes={1:2}'), RangeError, /exceed cast/],
		['binary: cast > registered', () => Tally.fromBinary(head(0x01, 1n, 2n, 2n, 0)), RangeError, /exceeds registered/],
	];
	const pair = new Tally({ votes: [['a\uD83D\uDE00', 1n]], registered: 1n });
	check('text keys: a surrogate pair is a character, and round-trips',
		Tally.fromBinary(pair.toBinary()).equals(pair) && Tally.fromText(pair.toText()).equals(pair), pair.toText());
	const wrong = errors.map(([what, f, kind, pattern]) => [what, refused(f, kind, pattern)]).filter(([, r]) => r !== true);
	check(`trailer: ${errors.length} out-of-bounds or non-canonical tallies are refused with a clear error`, wrong.length === 0, show(wrong));
}

(async () => {
	testCodecs();
	await testPg();
	await testPostgresJs();
	console.log(`text keys on the server: ${process.env.TEXT_KEYS === '1' ? 'yes, in the edge tallies' : 'not yet'}`);
	console.log(`the tally's trailer on the server: ${process.env.TRAILERS === '1' ? 'yes, in the edge tallies' : 'not yet'}`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(failed === 0 ? 0 : 1);
})().catch((e) => {
	console.log(`FAILED: ${e.stack}`);
	console.log(`${passed} passed, ${failed + 1} failed`);
	process.exit(1);
});
