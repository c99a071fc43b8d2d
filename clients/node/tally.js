'use strict';
// The tally as a JavaScript value, and its text and binary wire forms
// (see the project README, "Type tally"):
//
//   registered=1000 cast=620 invalid=3 votes={17:300,42:317}
//   cast=620 votes={"Jones":317,"Smith \"Jr\"":300}
//
//   binary, big-endian: uint8 version (1), uint8 flags (0x01 registered
//   known, 0x02 text keys), int64 registered, int64 cast, int64 invalid,
//   uint32 n, then n x (int64 candidate, int64 votes) or, with text keys,
//   n x (uint32 length, UTF-8 bytes, int64 votes).

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const FLAG_REGISTERED = 0x01;
const FLAG_TEXT_KEYS = 0x02;

function toCount(what, v, low) {
	if (typeof v === 'number') {
		if (!Number.isSafeInteger(v)) throw new RangeError(`${what} must be an integer: ${v}`);
		v = BigInt(v);
	}
	if (typeof v !== 'bigint') throw new TypeError(`${what} must be a bigint, not ${typeof v}`);
	if (v < low || v > INT64_MAX) throw new RangeError(`${what} out of range: ${v}`);
	return v;
}

// bigint keys in numeric order; text keys bytewise on their UTF-8 bytes
function compareKeys(a, b) {
	if (typeof a === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
	return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

class Tally {
	// votes: a Map or an array of [key, votes] pairs (or, for text keys
	// only, a plain object); keys all bigint (numbers are accepted) or all
	// strings; counts bigint (safe-integer numbers are accepted).
	constructor({ votes = [], cast = null, invalid = 0n, registered = null } = {}) {
		let pairs;
		if (votes instanceof Map || Array.isArray(votes)) pairs = [...votes];
		else pairs = Object.entries(votes);
		const kinds = new Set();
		pairs = pairs.map(([k, v]) => {
			if (typeof k === 'number') k = toCount('a candidate', k, INT64_MIN);
			if (typeof k === 'bigint') toCount('a candidate', k, INT64_MIN);
			else if (typeof k !== 'string') throw new TypeError('a candidate key must be a bigint or a string');
			else if (k.includes('\0')) throw new RangeError('a candidate key cannot contain NUL');
			kinds.add(typeof k);
			return [k, toCount(`votes for ${k}`, v, 0n)];
		});
		if (kinds.size > 1) throw new TypeError('candidate keys must be all bigint or all strings');
		pairs.sort((a, b) => compareKeys(a[0], b[0]));
		for (let i = 1; i < pairs.length; i++) {
			if (compareKeys(pairs[i - 1][0], pairs[i][0]) === 0) throw new RangeError(`repeated candidate ${pairs[i][0]}`);
		}
		this.invalid = toCount('invalid', invalid, 0n);
		this.votes = new Map(pairs);
		this.cast = cast === null || cast === undefined
			? toCount('cast', pairs.reduce((s, [, v]) => s + v, this.invalid), 0n)
			: toCount('cast', cast, 0n);
		this.registered = registered === null || registered === undefined ? null : toCount('registered', registered, 0n);
	}

	// 'bigint', 'text', or null for a tally without candidates
	get keyKind() {
		for (const k of this.votes.keys()) return typeof k === 'string' ? 'text' : 'bigint';
		return null;
	}

	equals(other) {
		if (!(other instanceof Tally)) return false;
		if (this.registered !== other.registered || this.cast !== other.cast ||
				this.invalid !== other.invalid || this.votes.size !== other.votes.size) return false;
		const a = [...this.votes];
		const b = [...other.votes];
		return a.every(([k, v], i) => k === b[i][0] && v === b[i][1]);
	}

	toText() {
		const parts = [];
		if (this.registered !== null) parts.push(`registered=${this.registered}`);
		parts.push(`cast=${this.cast}`, `invalid=${this.invalid}`);
		const pairs = [...this.votes].map(([k, v]) => `${formatKey(k)}:${v}`);
		parts.push(`votes={${pairs.join(',')}}`);
		return parts.join(' ');
	}

	toString() { return this.toText(); }

	// node-postgres sends a parameter with a toPostgres method as its result
	toPostgres() { return this.toText(); }

	// for JSON.stringify: counts as digit strings (JSON numbers would round)
	toJSON() {
		return {
			registered: this.registered === null ? null : String(this.registered),
			cast: String(this.cast),
			invalid: String(this.invalid),
			votes: [...this.votes].map(([k, v]) => ({ candidate: typeof k === 'bigint' ? String(k) : k, votes: String(v) })),
		};
	}

	toBinary() {
		const text = this.keyKind === 'text';
		const keys = [...this.votes.keys()].map((k) => (text ? Buffer.from(k, 'utf8') : null));
		let size = 30;
		for (const k of keys) size += text ? 12 + k.length : 16;
		const b = Buffer.alloc(size);
		b.writeUInt8(1, 0);
		b.writeUInt8((this.registered === null ? 0 : FLAG_REGISTERED) | (text ? FLAG_TEXT_KEYS : 0), 1);
		b.writeBigInt64BE(this.registered === null ? 0n : this.registered, 2);
		b.writeBigInt64BE(this.cast, 10);
		b.writeBigInt64BE(this.invalid, 18);
		b.writeUInt32BE(this.votes.size, 26);
		let pos = 30;
		let i = 0;
		for (const [k, v] of this.votes) {
			if (text) {
				b.writeUInt32BE(keys[i].length, pos);
				keys[i].copy(b, pos + 4);
				pos += 4 + keys[i].length;
			} else {
				b.writeBigInt64BE(k, pos);
				pos += 8;
			}
			b.writeBigInt64BE(v, pos);
			pos += 8;
			i++;
		}
		return b;
	}

	static fromBinary(buf) {
		const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
		if (b.length < 30) throw new RangeError(`binary tally too short: ${b.length} bytes`);
		const version = b.readUInt8(0);
		const flags = b.readUInt8(1);
		if (version !== 1) throw new RangeError(`unknown binary tally version ${version}`);
		if (flags & ~(FLAG_REGISTERED | FLAG_TEXT_KEYS)) throw new RangeError(`unknown binary tally flags 0x${flags.toString(16)}`);
		const registered = b.readBigInt64BE(2);
		const cast = b.readBigInt64BE(10);
		const invalid = b.readBigInt64BE(18);
		const n = b.readUInt32BE(26);
		let pos = 30;
		const votes = [];
		for (let i = 0; i < n; i++) {
			let key;
			if (flags & FLAG_TEXT_KEYS) {
				if (pos + 4 > b.length) throw new RangeError('binary tally ends inside a candidate');
				const len = b.readUInt32BE(pos);
				pos += 4;
				if (pos + len + 8 > b.length) throw new RangeError('binary tally ends inside a candidate');
				key = new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(pos, pos + len));
				pos += len;
			} else {
				if (pos + 16 > b.length) throw new RangeError('binary tally ends inside a candidate');
				key = b.readBigInt64BE(pos);
				pos += 8;
			}
			votes.push([key, b.readBigInt64BE(pos)]);
			pos += 8;
		}
		if (pos !== b.length) throw new RangeError(`${b.length - pos} bytes after a binary tally`);
		return new Tally({ votes, cast, invalid, registered: flags & FLAG_REGISTERED ? registered : null });
	}

	static fromText(s) {
		return new TextParser(s).parse();
	}
}

function formatKey(k) {
	if (typeof k === 'bigint') return String(k);
	return '"' + k.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

class TextParser {
	constructor(s) { this.s = s; this.i = 0; }

	fail(what) { throw new SyntaxError(`invalid tally text at offset ${this.i}: ${what}: ${JSON.stringify(this.s)}`); }

	ws() { while (this.i < this.s.length && ' \t\n\r\f\v'.includes(this.s[this.i])) this.i++; }

	peek() { return this.i < this.s.length ? this.s[this.i] : ''; }

	expect(c) {
		this.ws();
		if (this.peek() !== c) this.fail(`expected ${c}`);
		this.i++;
	}

	integer() {
		this.ws();
		const m = /^[+-]?[0-9]+/.exec(this.s.slice(this.i));
		if (!m) this.fail('expected a number');
		this.i += m[0].length;
		return BigInt(m[0]);
	}

	quoted() {
		this.i++;
		let out = '';
		for (;;) {
			let c = this.peek();
			if (c === '') this.fail('unterminated quoted key');
			this.i++;
			if (c === '"') return out;
			if (c === '\\') {
				c = this.peek();
				if (c === '') this.fail('unterminated quoted key');
				this.i++;
			}
			out += c;
		}
	}

	parse() {
		const fields = {};
		for (;;) {
			this.ws();
			if (this.i === this.s.length) break;
			const m = /^[a-z]+/.exec(this.s.slice(this.i));
			const name = m ? m[0] : '';
			if (!['registered', 'cast', 'invalid', 'votes'].includes(name) || name in fields) this.fail(`unknown or repeated field ${name}`);
			this.i += name.length;
			this.expect('=');
			fields[name] = name === 'votes' ? this.votes() : this.integer();
		}
		if (Object.keys(fields).length === 0) this.fail('no fields');
		return new Tally({ votes: fields.votes || [], cast: fields.cast, invalid: fields.invalid || 0n, registered: fields.registered });
	}

	votes() {
		this.expect('{');
		const votes = [];
		this.ws();
		if (this.peek() === '}') { this.i++; return votes; }
		for (;;) {
			this.ws();
			const key = this.peek() === '"' ? this.quoted() : this.integer();
			this.expect(':');
			votes.push([key, this.integer()]);
			this.ws();
			const c = this.peek();
			if (c === '}') { this.i++; return votes; }
			if (c !== ',') this.fail("expected ',' or '}'");
			this.i++;
		}
	}
}

module.exports = { Tally, INT64_MAX, INT64_MIN, compareKeys };
