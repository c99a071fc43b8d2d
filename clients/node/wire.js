'use strict';
// What both drivers share: the catalog look-up, and decoders for the
// text forms of composites (fields from pg_attribute), arrays and the
// built-in types inside them.  Both drivers are used in text mode:
// postgres.js reads text only, and node-postgres's binary results are
// corrupted by the driver (it reads every field as a UTF-8 string first,
// so any byte from 0x80 up is lost); Tally.fromBinary and toBinary serve
// binary COPY.

const { Tally } = require('./tally');

const COMPOSITES = ['fptp_outcome', 'election_summary'];

// One query: the OIDs of tally, maslihat_level and the composites, their
// array types, and each composite's attributes in order.
const CATALOG_SQL = `
SELECT t.typname::text AS name, t.oid::int8::text AS oid, t.typarray::int8::text AS array_oid,
			 coalesce((SELECT json_agg(json_build_object('name', a.attname::text, 'type', a.atttypid::int8::text)
																 ORDER BY a.attnum)
								 FROM pg_attribute a
								 WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)::text, '[]') AS attributes
FROM pg_type t
WHERE t.typnamespace = (SELECT typnamespace FROM pg_type WHERE oid = to_regtype($1))
	AND t.typname IN ('tally', 'maslihat_level', 'fptp_outcome', 'election_summary')`;

function catalogParams(schema) {
	return [schema ? `"${schema.replace(/"/g, '""')}".tally` : 'tally'];
}

// rows of CATALOG_SQL -> { tally: {oid, arrayOid}, ..., fptp_outcome: {oid, arrayOid, attributes} }
function readCatalog(rows) {
	const types = {};
	for (const r of rows) {
		types[r.name] = {
			oid: Number(r.oid),
			arrayOid: Number(r.array_oid),
			attributes: JSON.parse(r.attributes).map((a) => ({ name: a.name, type: Number(a.type) })),
		};
	}
	for (const name of ['tally', 'maslihat_level', ...COMPOSITES]) {
		if (!types[name]) throw new Error(`type ${name} not found: is the maslihat extension installed?`);
	}
	return types;
}

const OID = { bool: 16, int8: 20, int2: 21, int4: 23, text: 25, varchar: 1043, numeric: 1700 };

// Text form of a built-in or maslihat value -> JavaScript value.
function textDecoder(types, oid) {
	switch (oid) {
		case OID.int8: return (s) => BigInt(s);
		case OID.int2: case OID.int4: return (s) => Number(s);
		case OID.bool: return (s) => s === 't';
		case OID.numeric: case OID.text: case OID.varchar: return (s) => s;
		default:
			if (oid === types.tally.oid) return Tally.fromText;
			for (const name of COMPOSITES) {
				if (oid === types[name].oid) return (s) => parseRecord(s, types[name].attributes.map((a) => textDecoder(types, a.type)), types[name].attributes);
			}
			return (s) => s;
	}
}

// A composite's text form, e.g. (11,3,,"a b",t), by attribute.
function parseRecord(s, decoders, attributes) {
	const values = [];
	let i = 1;
	if (s[0] !== '(' || s[s.length - 1] !== ')') throw new SyntaxError(`not a record: ${s}`);
	for (;;) {
		let value = null;
		if (s[i] === '"') {
			value = '';
			i++;
			for (;;) {
				const c = s[i];
				if (c === undefined) throw new SyntaxError(`unterminated record: ${s}`);
				if (c === '"' && s[i + 1] === '"') { value += '"'; i += 2; } else if (c === '"') { i++; break; } else if (c === '\\') { value += s[i + 1]; i += 2; } else { value += c; i++; }
			}
		} else {
			let j = i;
			while (s[j] !== ',' && s[j] !== ')') j++;
			if (j > i) value = s.slice(i, j);
			i = j;
		}
		values.push(value);
		if (s[i] === ')') break;
		i++; // the comma
	}
	if (values.length !== attributes.length) throw new SyntaxError(`record has ${values.length} fields, the catalog ${attributes.length}`);
	const out = {};
	attributes.forEach((a, k) => { out[a.name] = values[k] === null ? null : decoders[k](values[k]); });
	return out;
}

// A one-dimensional array's text form, e.g. {"cast=0 invalid=0 votes={}",NULL}.
function parseArray(s, decode) {
	if (s[0] !== '{' || s[s.length - 1] !== '}') throw new SyntaxError(`not a one-dimensional array: ${s}`);
	const out = [];
	let i = 1;
	if (s === '{}') return out;
	for (;;) {
		let value;
		if (s[i] === '"') {
			value = '';
			i++;
			while (s[i] !== '"') {
				if (s[i] === undefined) throw new SyntaxError(`unterminated array: ${s}`);
				if (s[i] === '\\') i++;
				value += s[i];
				i++;
			}
			i++;
			out.push(decode(value));
		} else {
			let j = i;
			while (s[j] !== ',' && s[j] !== '}') j++;
			value = s.slice(i, j);
			out.push(value === 'NULL' ? null : decode(value));
			i = j;
		}
		if (s[i] === '}') return out;
		i++;
	}
}

module.exports = {
	COMPOSITES, CATALOG_SQL, catalogParams, readCatalog, textDecoder, parseRecord, parseArray,
};
