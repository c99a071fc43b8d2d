'use strict';
// maslihat's types for node-postgres (pg):
//
//   const { Client } = require('pg');
//   const maslihat = require('maslihat');
//   const client = new Client();
//   await client.connect();
//   await maslihat.pg.registerTypes(client);
//
// Afterwards, on that client (a Pool: registerTypes(pool) sets the parsers
// every client the pool makes afterwards uses, through its types option) a tally
// reads as a Tally, tally[] as an array of Tally and null, fptp_outcome and
// election_summary as plain objects with the catalog's attribute names
// (bigint as BigInt, numeric as the string of its digits, integer as
// number, boolean, text as string), maslihat_level as a string.  A Tally
// parameter is sent as its text form (its toPostgres method).  Text results
// only: node-postgres's binary results (binary: true with the extended
// protocol) are corrupted by the driver for every type, ours included.

const wire = require('./wire');

function setParsers(setTypeParser, types) {
	for (const name of ['tally', 'maslihat_level', ...wire.COMPOSITES]) {
		const t = types[name];
		const text = wire.textDecoder(types, t.oid);
		setTypeParser(t.oid, 'text', text);
		setTypeParser(t.arrayOid, 'text', (s) => wire.parseArray(s, text));
	}
}

// Reads the types from the catalog with clientOrPool (a pg Client or
// Pool) and registers their parsers on it; returns the OIDs found.
async function registerTypes(clientOrPool, { schema } = {}) {
	const isClient = typeof clientOrPool.setTypeParser === 'function';
	// a pool's look-up client is discarded: clients made before the parsers
	// were set would not have them
	const conn = isClient ? clientOrPool : await clientOrPool.connect();
	let res;
	try {
		res = await conn.query(wire.CATALOG_SQL, wire.catalogParams(schema));
	} finally {
		if (!isClient) conn.release(true);
	}
	const types = wire.readCatalog(res.rows);
	if (isClient) {
		setParsers((oid, format, fn) => clientOrPool.setTypeParser(oid, format, fn), types);
	} else {
		// a Pool: its clients take options.types; give it one that knows ours
		const pg = require('pg');
		const base = clientOrPool.options.types || pg.types;
		const own = { text: {} };
		setParsers((oid, format, fn) => { own[format][oid] = fn; }, types);
		clientOrPool.options.types = {
			getTypeParser: (oid, format = 'text') => (own[format] || {})[oid] || base.getTypeParser(oid, format),
		};
	}
	return types;
}

module.exports = { registerTypes };
