'use strict';
// The tally as a JavaScript value, and its text and binary wire forms
// (see the project README, "Type tally"):
//
//   registered=1000 cast=620 invalid=3 votes={17:300,42:317}
//   cast=620 votes={"Jones":317,"Smith \"Jr\"":300}
//   registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300,42:317} parts=1 provisional=1
//
//   binary, big-endian: uint8 version (1), uint8 flags (0x01 registered
//   known, 0x02 text keys, 0x04 blank known, 0x08 issued known, 0x10
//   parts), int64 registered, int64 cast, int64 invalid, uint32 n, then
//   n x (int64 candidate, int64 votes) or, with text keys, n x (uint32
//   length, UTF-8 bytes, int64 votes); then the trailer (0.2.0): int64
//   blank if 0x04, int64 issued if 0x08, int64 parts and int64
//   provisional if 0x10.
//
// The trailer's counts are written only when there is something to say:
// issued when known, blank when known and invalid > 0 (with invalid 0,
// blank is 0 and known, and not written), parts and provisional when
// parts > 0 (parts 0 is no parts mark).  A tally without them has the
// text and bytes of 0.1.0.

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const FLAG_REGISTERED = 0x01;
const FLAG_TEXT_KEYS = 0x02;
const FLAG_BLANK = 0x04;
const FLAG_ISSUED = 0x08;
const FLAG_PARTS = 0x10;
const FLAGS_ALL = FLAG_REGISTERED | FLAG_TEXT_KEYS | FLAG_BLANK | FLAG_ISSUED | FLAG_PARTS;
const FIELDS = ['registered', 'issued', 'cast', 'invalid', 'blank', 'votes', 'parts', 'provisional'];

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

// A tally's trailer flags: what toText, toJSON and toBinary write beyond 0.1.0.
function trailerFlags(t) {
	return (t.blank !== null && t.invalid > 0n ? FLAG_BLANK : 0) |
		(t.issued !== null ? FLAG_ISSUED : 0) | (t.parts > 0n ? FLAG_PARTS : 0);
}

const SPACE = ' \t\n\r\f\v'; // the server's white space (tally_text.c)
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

class Tally {
	// votes: a Map or an array of [key, votes] pairs (or, for text keys
	// only, a plain object); keys all bigint (numbers are accepted) or all
	// strings; counts bigint (safe-integer numbers are accepted).  blank
	// and issued null are unknown (blank is 0 whenever invalid is); parts
	// 0 is no parts mark.  A tally the server would refuse is refused here
	// (RangeError): votes plus invalid above cast, cast or issued above
	// registered, blank above invalid, provisional above parts, a text key
	// with NUL or an unpaired surrogate.
	constructor({
		votes = [], cast = null, invalid = 0n, registered = null,
		blank = null, issued = null, parts = 0n, provisional = 0n,
	} = {}) {
		let pairs;
		if (votes instanceof Map || Array.isArray(votes)) pairs = [...votes];
		else pairs = Object.entries(votes);
		const kinds = new Set();
		pairs = pairs.map(([k, v]) => {
			if (typeof k === 'number') k = toCount('a candidate', k, INT64_MIN);
			if (typeof k === 'bigint') toCount('a candidate', k, INT64_MIN);
			else if (typeof k !== 'string') throw new TypeError('a candidate key must be a bigint or a string');
			else if (k.includes('\0')) throw new RangeError('a candidate key cannot contain NUL');
			// an unpaired surrogate has no UTF-8 form: Buffer.from would write U+FFFD for it
			else if (LONE_SURROGATE.test(k)) throw new RangeError(`a candidate key must be valid Unicode (an unpaired surrogate in ${JSON.stringify(k)})`);
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
		const valid = pairs.reduce((s, [, v]) => s + v, 0n);
		if (valid + this.invalid > this.cast) throw new RangeError(`votes (${valid}) plus invalid (${this.invalid}) exceed cast (${this.cast})`);
		if (this.registered !== null && this.cast > this.registered) throw new RangeError(`cast (${this.cast}) exceeds registered (${this.registered})`);
		// the trailer (0.2.0), with the server's bounds
		this.blank = blank === null || blank === undefined ? null : toCount('blank', blank, 0n);
		if (this.blank !== null && this.blank > this.invalid) throw new RangeError(`blank (${this.blank}) exceeds invalid (${this.invalid})`);
		if (this.invalid === 0n) this.blank = 0n;
		this.issued = issued === null || issued === undefined ? null : toCount('issued', issued, 0n);
		if (this.issued !== null && this.registered !== null && this.issued > this.registered) {
			throw new RangeError(`issued (${this.issued}) exceeds registered (${this.registered})`);
		}
		this.parts = toCount('parts', parts === null || parts === undefined ? 0n : parts, 0n);
		this.provisional = toCount('provisional', provisional === null || provisional === undefined ? 0n : provisional, 0n);
		if (this.provisional > this.parts) throw new RangeError(`provisional (${this.provisional}) exceeds parts (${this.parts})`);
	}

	// 'bigint', 'text', or null for a tally without candidates
	get keyKind() {
		for (const k of this.votes.keys()) return typeof k === 'string' ? 'text' : 'bigint';
		return null;
	}

	equals(other) {
		if (!(other instanceof Tally)) return false;
		if (this.registered !== other.registered || this.cast !== other.cast ||
				this.invalid !== other.invalid || this.votes.size !== other.votes.size ||
				this.blank !== other.blank || this.issued !== other.issued ||
				this.parts !== other.parts || this.provisional !== other.provisional) return false;
		const a = [...this.votes];
		const b = [...other.votes];
		return a.every(([k, v], i) => k === b[i][0] && v === b[i][1]);
	}

	toText() {
		const flags = trailerFlags(this);
		const fields = [];
		if (this.registered !== null) fields.push(`registered=${this.registered}`);
		if (flags & FLAG_ISSUED) fields.push(`issued=${this.issued}`);
		fields.push(`cast=${this.cast}`, `invalid=${this.invalid}`);
		if (flags & FLAG_BLANK) fields.push(`blank=${this.blank}`);
		const pairs = [...this.votes].map(([k, v]) => `${formatKey(k)}:${v}`);
		fields.push(`votes={${pairs.join(',')}}`);
		if (flags & FLAG_PARTS) fields.push(`parts=${this.parts}`, `provisional=${this.provisional}`);
		return fields.join(' ');
	}

	toString() { return this.toText(); }

	// node-postgres sends a parameter with a toPostgres method as its result
	toPostgres() { return this.toText(); }

	// for JSON.stringify: counts as digit strings (JSON numbers would round);
	// the trailer's keys, as in the server's tally::jsonb, only when the
	// text form writes them
	toJSON() {
		const flags = trailerFlags(this);
		const json = {
			registered: this.registered === null ? null : String(this.registered),
			cast: String(this.cast),
			invalid: String(this.invalid),
			votes: [...this.votes].map(([k, v]) => ({ candidate: typeof k === 'bigint' ? String(k) : k, votes: String(v) })),
		};
		if (flags & FLAG_ISSUED) json.issued = String(this.issued);
		if (flags & FLAG_BLANK) json.blank = String(this.blank);
		if (flags & FLAG_PARTS) {
			json.parts = String(this.parts);
			json.provisional = String(this.provisional);
		}
		return json;
	}

	toBinary() {
		const text = this.keyKind === 'text';
		const keys = [...this.votes.keys()].map((k) => (text ? Buffer.from(k, 'utf8') : null));
		const trailer = trailerFlags(this);
		let size = 30 + ((trailer & FLAG_BLANK) ? 8 : 0) + ((trailer & FLAG_ISSUED) ? 8 : 0) + ((trailer & FLAG_PARTS) ? 16 : 0);
		for (const k of keys) size += text ? 12 + k.length : 16;
		const b = Buffer.alloc(size);
		b.writeUInt8(1, 0);
		b.writeUInt8((this.registered === null ? 0 : FLAG_REGISTERED) | (text ? FLAG_TEXT_KEYS : 0) | trailer, 1);
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
		if (trailer & FLAG_BLANK) { b.writeBigInt64BE(this.blank, pos); pos += 8; }
		if (trailer & FLAG_ISSUED) { b.writeBigInt64BE(this.issued, pos); pos += 8; }
		if (trailer & FLAG_PARTS) {
			b.writeBigInt64BE(this.parts, pos);
			b.writeBigInt64BE(this.provisional, pos + 8);
		}
		return b;
	}

	static fromBinary(buf) {
		const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
		if (b.length < 30) throw new RangeError(`binary tally too short: ${b.length} bytes`);
		const version = b.readUInt8(0);
		const flags = b.readUInt8(1);
		if (version !== 1) throw new RangeError(`unknown binary tally version ${version}`);
		if (flags & ~FLAGS_ALL) throw new RangeError(`unknown binary tally flags 0x${flags.toString(16)}`);
		const registered = b.readBigInt64BE(2);
		const cast = b.readBigInt64BE(10);
		const invalid = b.readBigInt64BE(18);
		const n = b.readUInt32BE(26);
		if (!(flags & FLAG_REGISTERED) && registered !== 0n) throw new RangeError(`binary tally with registered ${registered} but no flag 0x01 (unknown is 0)`);
		if (flags & FLAG_TEXT_KEYS && n === 0) throw new RangeError('binary tally with the text-key flag 0x02 and no candidates');
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
			// as the server: the candidates come in the canonical order, never sorted here
			if (votes.length > 0 && compareKeys(votes[votes.length - 1][0], key) >= 0) {
				throw new RangeError(`candidate ${typeof key === 'string' ? JSON.stringify(key) : key} is out of ascending order in a binary tally (or repeated)`);
			}
			votes.push([key, b.readBigInt64BE(pos)]);
			pos += 8;
		}
		const trailer = [];
		for (const flag of [FLAG_BLANK, FLAG_ISSUED, FLAG_PARTS, FLAG_PARTS]) {
			if (!(flags & flag)) { trailer.push(null); continue; }
			if (pos + 8 > b.length) throw new RangeError('binary tally ends inside its trailer');
			trailer.push(b.readBigInt64BE(pos));
			pos += 8;
		}
		if (pos !== b.length) throw new RangeError(`${b.length - pos} bytes after a binary tally`);
		const [blank, issued, parts, provisional] = trailer;
		// the server's canonical form: blank only with invalid > 0, parts only > 0
		if ((flags & FLAG_BLANK) && invalid === 0n) throw new RangeError(`binary tally stores blank (${blank}) with invalid 0`);
		if ((flags & FLAG_PARTS) && parts === 0n) throw new RangeError(`binary tally stores a parts mark with parts 0 (provisional ${provisional})`);
		return new Tally({
			votes, cast, invalid, registered: flags & FLAG_REGISTERED ? registered : null,
			blank, issued, parts: parts === null ? 0n : parts, provisional: provisional === null ? 0n : provisional,
		});
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

	ws() { while (this.i < this.s.length && SPACE.includes(this.s[this.i])) this.i++; }

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
				// as the server: no \n, \u0041 or other escapes
				if (c !== '"' && c !== '\\') this.fail(`only \\" and \\\\ may be escaped in a key, not \\${c}`);
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
			if (!FIELDS.includes(name)) this.fail(`unknown field ${JSON.stringify(name)} (expected one of ${FIELDS.join(', ')})`);
			if (name in fields) this.fail(`repeated field ${name}`);
			this.i += name.length;
			this.expect('=');
			fields[name] = name === 'votes' ? this.votes() : this.integer();
			// as the server: a field ends at white space or the end
			if (this.i < this.s.length && !SPACE.includes(this.s[this.i])) this.fail('expected white space between fields');
		}
		if (Object.keys(fields).length === 0) this.fail('no fields');
		return new Tally({
			votes: fields.votes || [], cast: fields.cast, invalid: fields.invalid || 0n, registered: fields.registered,
			blank: fields.blank, issued: fields.issued, parts: fields.parts || 0n, provisional: fields.provisional || 0n,
		});
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
