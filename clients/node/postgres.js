'use strict';
// maslihat's types for postgres.js (postgres), which reads results in
// text form:
//
//   const postgres = require('postgres');
//   const maslihat = require('maslihat');
//   const sql = postgres();
//   await maslihat.postgres.registerTypes(sql);
//
// Afterwards a tally reads as a Tally, tally[] as an array, fptp_outcome
// and election_summary as plain objects with the catalog's attribute names
// (bigint as BigInt, numeric as the string of its digits), maslihat_level
// as a string; a Tally (or its text form) given for a tally parameter is
// sent as a tally.

const wire = require('./wire');
const { Tally } = require('./tally');

async function registerTypes(sql, { schema } = {}) {
	const rows = await sql.unsafe(wire.CATALOG_SQL, wire.catalogParams(schema));
	const types = wire.readCatalog(rows);
	const { parsers, serializers } = sql.options;
	for (const name of ['tally', 'maslihat_level', ...wire.COMPOSITES]) {
		const t = types[name];
		const text = wire.textDecoder(types, t.oid);
		parsers[t.oid] = text;
		parsers[t.arrayOid] = (s) => wire.parseArray(s, text);
	}
	serializers[types.tally.oid] = (v) => (v instanceof Tally ? v.toText() : String(v));
	return types;
}

module.exports = { registerTypes };
